// One JSON line per request (pino-http through nestjs-pino): request id, method, route, path,
// status, latency. The serializers name every field that is written, so no header (Authorization,
// Cookie), query string or body, and with them no password or token, can reach the log by this road.
// (pino's `redact` would add a cost to every request for fields that are never there.)
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';

/** A request id a client may choose: short, and harmless in a log line or a header. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Routes by request, set by a Fastify hook once routing is done (see app.ts). */
const routes = new WeakMap<IncomingMessage, string>();

export function recordRoute(request: IncomingMessage, route: string | undefined): void {
  if (route) routes.set(request, route);
}

/** The route pattern `request` matched, as the request log line and the metrics name it. */
export function routeOf(request: IncomingMessage): string {
  return routes.get(request) ?? '(unmatched)';
}

/**
 * Fastify's request id (which pino-http and the audit lines then carry): the client's X-Request-ID
 * when it is a safe token, a new UUID otherwise. app.ts echoes it in the answer.
 */
export function requestId(request: IncomingMessage): string {
  const offered = request.headers['x-request-id'];
  return typeof offered === 'string' && SAFE_REQUEST_ID.test(offered) ? offered : randomUUID();
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0];
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

/** The line's message, whatever its level: `GET /users/me 200`. */
function summary(request: IncomingMessage, response: ServerResponse): string {
  return `${request.method} ${routeOf(request)} ${response.statusCode}`;
}

export function loggerParams(config: AppConfig): Params {
  return {
    // nestjs-pino's default pattern, `{/*splat}`, is never matched under this Fastify adapter.
    forRoutes: [{ path: '/{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      formatters: { level: (label) => ({ level: label }) },
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'request_id', responseTime: 'latency_ms' },
      serializers: {
        req: (request: IncomingMessage & { id?: string }) => ({ method: request.method, path: pathOf(request.url) }),
        res: (response: ServerResponse) => ({ status: response.statusCode }),
      },
      customProps: (request) => ({ route: routeOf(request) }),
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
      customSuccessMessage: summary,
      customErrorMessage: summary,
    },
  };
}
