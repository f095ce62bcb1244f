// Multipart form bodies, read only where the OpenAPI document accepts them (`POST /token`) and with
// limits sized to that form. Everywhere else a multipart body is refused before a byte of it is read.
//
// The fields arrive as `{name: value}` (or `{name: [values]}` when repeated, which validation then
// refuses): the shape a urlencoded form arrives in. A body that is not valid multipart is FastAPI's
// 400 "There was an error parsing the body".
import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { closeGently } from './lingering-close.js';

/** The operations whose request body the OpenAPI document declares as `multipart/form-data`. */
export const MULTIPART_ROUTES: ReadonlySet<string> = new Set(['POST /token']);

/**
 * Bytes of one field's value. A value cut at this size is passed on cut, never refused as a whole:
 * since UTF-8 spends at most 3 bytes on a UTF-16 code unit, a cut value is longer than
 * `MULTIPART_FIELD_MAX_BYTES / 3` characters, which is more than any bound of the token form (see
 * `TOKEN_FORM_MAX_LENGTH`), so validation refuses it as too long, and a cut password is never checked.
 */
export const MULTIPART_FIELD_MAX_BYTES = 8 * 1024;

/**
 * The parser's limits. The token form has ten fields; a part's headers are a Content-Disposition
 * and perhaps a Content-Type. Nothing else in a multipart body is kept in memory.
 */
export const MULTIPART_LIMITS = {
  fieldSize: MULTIPART_FIELD_MAX_BYTES,
  fields: 10,
  parts: 10,
  files: 0,
  headerPairs: 4,
  /** Bytes of one part's headers (which hold the field name). */
  headerSize: 1024,
} as const;

const MULTIPART = /^\s*multipart\//i;

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * An `onRequest` hook for bodies refused before they are read: a multipart body anywhere but
 * `MULTIPART_ROUTES` is answered 415 at once, and any body declared larger than the body limit 413,
 * both closing the connection gently (the client still sending gets the answer, not a reset). A
 * multipart body to a path that does not exist keeps its 404 (or 405), also closing the connection.
 */
export function refuseUnreadBodies(bodyLimit: number) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (!hasBody(request)) return done();
    const multipartBody = MULTIPART.test(request.headers['content-type'] ?? '');
    const route = request.routeOptions.url;
    if (route === undefined || request.is404) {
      if (multipartBody) closeGently(reply);
      return done();
    }
    if (multipartBody && !MULTIPART_ROUTES.has(`${request.method} ${route}`)) {
      void closeGently(reply).code(415).send({ detail: 'Unsupported Media Type' });
      return;
    }
    if (Number(request.headers['content-length'] ?? 0) > bodyLimit) {
      void closeGently(reply).code(413).send({ detail: 'Payload Too Large' });
      return;
    }
    done();
  };
}

/** True when this request's multipart body is one to read: at a route of `MULTIPART_ROUTES`. */
export function readsMultipart(request: FastifyRequest): boolean {
  return request.isMultipart() && MULTIPART_ROUTES.has(`${request.method} ${request.routeOptions.url}`);
}

/** Reads the fields of a multipart request at a route of `MULTIPART_ROUTES`, at most `bodyLimit` bytes of it. */
export async function multipartValues(request: FastifyRequest, bodyLimit: number): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = Object.create(null);
  // A body sent in chunks has no Content-Length to refuse early: count what arrives.
  let received = 0;
  let refuse: (error: Error) => void = () => {};
  const tooLarge = new Promise<never>((_resolve, reject) => (refuse = reject));
  tooLarge.catch(() => {}); // observed below; no unhandled rejection if the parts end first
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= bodyLimit) return;
    request.raw.off('data', count);
    request.raw.unpipe();
    refuse(new PayloadTooLargeException());
  };
  try {
    const parts = request.parts()[Symbol.asyncIterator]();
    // The first call starts the parser, which pipes the request into it; counting starts with it.
    let pending = parts.next();
    request.raw.on('data', count);
    for (;; pending = parts.next()) {
      const next = await Promise.race([pending, tooLarge]);
      if (next.done) break;
      const part = next.value;
      if (part.type !== 'field') continue; // files are refused by the `files: 0` limit
      if (part.fieldnameTruncated) throw new PayloadTooLargeException();
      const earlier = values[part.fieldname];
      values[part.fieldname] = earlier === undefined ? part.value : [earlier, part.value].flat();
    }
  } catch (error) {
    // The plugin's own limits (FST_PARTS_LIMIT, …) are answered 413 by the exception filter.
    if (error instanceof HttpException || (error as { code?: string }).code?.startsWith('FST_')) throw error;
    throw new BadRequestException({ detail: 'There was an error parsing the body' });
  } finally {
    request.raw.off('data', count);
  }
  return values;
}
