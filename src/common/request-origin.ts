import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * Where a request came from: the caller's address, its user agent and the request's id. Recorded on
 * sessions, counted by rate limits and named in audit lines. Not an OAuth2 client: it says nothing
 * about which application sent the request.
 */
export interface RequestOrigin {
  address: string | null;
  userAgent: string | null;
  requestId: string;
}

/** The caller's address (as Fastify's trustProxy setting resolves it), user agent and request id. */
export function requestOrigin(request: FastifyRequest): RequestOrigin {
  const userAgent = request.headers['user-agent'];
  return { address: request.ip ?? null, userAgent: typeof userAgent === 'string' ? userAgent : null, requestId: request.id };
}

/** The request's `RequestOrigin`, as a handler parameter. */
export const Origin = createParamDecorator((_data: unknown, context: ExecutionContext): RequestOrigin => requestOrigin(context.switchToHttp().getRequest()));
