// A client address already past its per-address login limits is answered 429 as soon as its form is
// read, before guards, validation and the user look-up: a flood of logins from one address then
// costs the service little more than reading it, and leaves the CPU to everyone else. The limits
// are the login throttle's own (the same 429 would come later, at a higher price); only the
// password grant is refused this early, so a refresh, a client's grant or a code exchange from a busy
// address still works.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LoginThrottle } from './login-throttle.js';

/** The password grant: `grant_type=password`, or none, as the tutorial's form allows. */
function isPasswordGrant(body: unknown): boolean {
  const grant = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).grant_type : undefined;
  return grant === undefined || grant === 'password';
}

/** A `preHandler` hook for `POST /token`. */
export function refuseFloodedAddresses(throttle: LoginThrottle) {
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/token' || !isPasswordGrant(request.body)) return done();
    throttle.refusalForAddress(request.ip).then((refusal) => {
      if (!refusal) return done();
      void reply.code(429).header('Retry-After', String(refusal.retryAfterSeconds)).send({ detail: refusal.detail });
    }, done);
  };
}
