// The ceiling for GET /users/me/: a bare Fastify server that verifies the HS256 bearer token with a
// KeyObject key (as the service does) and answers the same JSON, with no database and no framework
// on top. Run by bench/run.mjs as a process of its own, like the service.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';

const key = createSecretKey(Buffer.from(process.env.SECRET_KEY, 'utf8'));
const USER = { username: 'johndoe', email: 'johndoe@example.com', full_name: 'John Doe', disabled: false };

function verify(token) {
  const [header, payload, signature] = token.split('.');
  if (!signature) return undefined;
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  return claims.exp * 1000 > Date.now() ? claims : undefined;
}

const app = Fastify();
app.get('/health/live', async () => ({ status: 'ok' }));
app.get('/users/me/', async (request, reply) => {
  const authorization = request.headers.authorization ?? '';
  const claims = authorization.startsWith('Bearer ') ? verify(authorization.slice(7)) : undefined;
  if (!claims) return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ detail: 'Could not validate credentials' });
  return USER;
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
