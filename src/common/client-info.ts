import type { FastifyRequest } from 'fastify';

/** Where a request came from, recorded on sessions and counted by rate limits. */
export interface ClientInfo {
  address: string | null;
  userAgent: string | null;
}

/** The caller's address (as Fastify's trustProxy setting resolves it) and user agent. */
export function clientInfo(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { address: request.ip ?? null, userAgent: typeof userAgent === 'string' ? userAgent : null };
}
