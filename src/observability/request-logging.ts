// One JSON line per request: request id, method, path (no query), route, status, latency. Written
// by a Fastify `onResponse` hook with the application's pino logger (nestjs-pino's root), from named
// fields only, so no header (Authorization, Cookie), query string or body, and with them no
// password or token, can reach the log by this road. Audit events and error lines name the request
// id themselves (`RequestOrigin`, the exception filter).
//
// pino-http, mounted as Nest middleware with its request context in an AsyncLocalStorage, took about
// a fifth of the CPU of a `/users/me/` request in a profile: a child logger per request, middie's
// matching, and async hooks on every promise.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Params } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import type { AppConfig } from '../config/app-config.js';

/** A request id a client may choose: short, and harmless in a log line or a header. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Fastify's request id (which the request line and the audit lines then carry): the client's
 * X-Request-ID when it is a safe token, a new UUID otherwise. app.ts echoes it in the answer.
 */
export function requestId(request: IncomingMessage): string {
  const offered = request.headers['x-request-id'];
  return typeof offered === 'string' && SAFE_REQUEST_ID.test(offered) ? offered : randomUUID();
}

/** The route pattern a request matched, as the request line and the metrics name it. */
export function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? '(unmatched)';
}

function pathOf(url: string): string {
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

const asWritten = <T>(value: T): T => value;

/**
 * The logger for request lines: the root's, whose `req` and `res` serializers (pino-http's, for
 * Node's request and response objects) are replaced by the identity, as the hook writes plain fields.
 */
export function requestLineLogger(root: Pino): Pino {
  return root.child({}, { serializers: { req: asWritten, res: asWritten } });
}

/** The request's line: `info`, or `error` for a 5xx. Nothing is built when the level is off. */
export function logRequest(logger: Pino, request: FastifyRequest, reply: FastifyReply): void {
  const level = reply.statusCode >= 500 ? 'error' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const route = routeOf(request);
  logger[level](
    {
      request_id: request.id,
      req: { method: request.method, path: pathOf(request.url) },
      route,
      res: { status: reply.statusCode },
      latency_ms: Math.round(reply.elapsedTime * 100) / 100,
    },
    `${request.method} ${route} ${reply.statusCode}`,
  );
}

export function loggerParams(config: AppConfig): Params {
  return {
    // No pino-http middleware: the request line comes from the hook above (see app.ts).
    forRoutes: [],
    pinoHttp: {
      level: config.logLevel,
      formatters: { level: (label) => ({ level: label }) },
    },
  };
}
