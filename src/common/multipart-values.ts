// Multipart form fields as `{name: value}` (or `{name: [values]}` when repeated, which validation
// then refuses): the shape a urlencoded form arrives in. A field whose value or name was cut at the
// size limit makes the whole request a 413, since a truncated password must never be verified; a
// body that is not valid multipart is FastAPI's 400 "There was an error parsing the body".
import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export async function multipartValues(request: FastifyRequest): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = Object.create(null);
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'field') continue; // files are refused by the `files: 0` limit
      if (part.valueTruncated || part.fieldnameTruncated) throw new PayloadTooLargeException();
      const earlier = values[part.fieldname];
      values[part.fieldname] = earlier === undefined ? part.value : [earlier, part.value].flat();
    }
  } catch (error) {
    // The plugin's own limits (FST_PARTS_LIMIT, …) are answered 413 by the exception filter.
    if (error instanceof HttpException || (error as { code?: string }).code?.startsWith('FST_')) throw error;
    throw new BadRequestException({ detail: 'There was an error parsing the body' });
  }
  return values;
}
