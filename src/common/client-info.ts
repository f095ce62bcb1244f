import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * Where a request came from, recorded on sessions, counted by rate limits and named in audit lines
 * with the request's id.
 */
export interface ClientInfo {
  address: string | null;
  userAgent: string | null;
  requestId: string;
}

/** The caller's address (as Fastify's trustProxy setting resolves it), user agent and request id. */
export function clientInfo(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { address: request.ip ?? null, userAgent: typeof userAgent === 'string' ? userAgent : null, requestId: request.id };
}

/** The request's `ClientInfo`, as a handler parameter. */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => clientInfo(context.switchToHttp().getRequest()));
