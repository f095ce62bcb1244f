import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { corsForOrigins } from './cors.js';

describe('corsForOrigins', () => {
  let server: FastifyInstance;
  let asked: (string | undefined)[];

  beforeEach(async () => {
    asked = [];
    server = Fastify();
    const cors = await corsForOrigins(server, {
      origin: (origin: string | undefined, allow: (error: Error | null, allowed: boolean) => void) => {
        asked.push(origin);
        allow(null, origin === 'https://app.example');
      },
      methods: ['GET', 'POST'],
      maxAge: 600,
    });
    server.addHook('onRequest', cors);
    server.get('/thing', async () => ({ ok: true }));
    await server.listen({ port: 0, host: '127.0.0.1' });
  });

  afterEach(() => server.close());

  async function call(method: string, headers: Record<string, string> = {}) {
    const response = await fetch(`http://127.0.0.1:${(server.server.address() as AddressInfo).port}/thing`, { method, headers });
    return { statusCode: response.status, headers: Object.fromEntries(response.headers) };
  }

  it('does not run for a request without an Origin header', async () => {
    const response = await call('GET');
    expect([response.statusCode, response.headers['access-control-allow-origin'], response.headers.vary]).toEqual([200, undefined, undefined]);
    expect(asked).toEqual([]);
  });

  it('answers an allowed origin, and only that one', async () => {
    const allowed = await call('GET', { origin: 'https://app.example' });
    expect([allowed.statusCode, allowed.headers['access-control-allow-origin'], allowed.headers.vary]).toEqual([200, 'https://app.example', 'Origin']);
    const other = await call('GET', { origin: 'https://other.example' });
    expect([other.statusCode, other.headers['access-control-allow-origin']]).toEqual([200, undefined]);
    expect(asked).toEqual(['https://app.example', 'https://other.example']);
  });

  it('answers a preflight from an allowed origin before any route, through the catch-all OPTIONS route it registered', async () => {
    const preflight = await call('OPTIONS', { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization',
      'access-control-max-age': '600',
    });
    const refused = await call('OPTIONS', { origin: 'https://other.example', 'access-control-request-method': 'POST' });
    expect([refused.statusCode, refused.headers['access-control-allow-origin']]).toEqual([404, undefined]);
  });
});
