// CORS answered by @fastify/cors, for the requests that carry an Origin header only.
//
// The plugin (and Nest's app.enableCors(), which registers it) runs on every request: it copies its
// options, adds `Vary: Origin` and asks the origin resolver, and Nest then copies the CORS headers
// to the raw response, even when there is no Origin header and so nothing to answer. That cost
// about 8% of `/users/me/`'s rate (docs/benchmarks.md). Here the plugin's request hook is taken as
// it registers, as Nest's FastifyAdapter takes it for enableCors(), and run only for a request with
// an Origin header; every other answer gets the `Vary: Origin` the plugin would have added, with the
// other static headers (see app.ts).
import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type RequestHook = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void;

/** The `Vary` header of an answer to a request without an Origin header, as the plugin would write it. */
export const VARY_ORIGIN = { vary: 'Origin' } as const;

/**
 * Registers @fastify/cors with `options` on `instance` (its catch-all OPTIONS route included), and
 * returns its request hook wrapped to run only for requests with an Origin header, for the caller
 * to add as an `onRequest` hook.
 */
export async function corsForOrigins(instance: FastifyInstance, options: Omit<FastifyCorsOptions, 'hook' | 'delegator'>): Promise<RequestHook> {
  let corsHook: RequestHook | undefined;
  const standIn: FastifyInstance = new Proxy(instance, {
    get(target, property) {
      if (property === 'addHook') {
        return (name: string, hook: RequestHook) => {
          if (name !== 'onRequest' || corsHook !== undefined) throw new Error(`@fastify/cors added an unexpected ${name} hook`);
          corsHook = hook;
          return standIn;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  await new Promise<void>((resolve, reject) => fastifyCors(standIn, options, (error?: Error) => (error ? reject(error) : resolve())));
  const hook = corsHook;
  if (hook === undefined) throw new Error('@fastify/cors added no request hook');
  return (request, reply, done) => (request.headers.origin === undefined ? done() : hook(request, reply, done));
}
