// The attackers of the "under attack" scenario, in a process of their own so that their loops do not
// slow the event loop that times the bystander and the `/users/me/` readers. Each attacker sends from
// its own loopback address (the service counts its login limits per address):
//   flood    ATTACK_FLOOD_ADDRESS    40 clients logging in as johndoe/secret without pause
//   guesses  ATTACK_GUESS_ADDRESS    16 clients guessing wrong passwords, spread over many names
//   bodies   ATTACK_BODIES_ADDRESS    4 clients sending 1 MiB bodies: JSON to POST /users/signup,
//                                    form and multipart (declared length, and chunked) to POST /token
// An attacker whose address is not set stays out. Runs ATTACK_SECONDS against ATTACK_BASE, then
// prints one JSON line: per attacker and kind, the count of answers by status, and of connection
// errors by code (`error:ECONNRESET`, ...); and the CPU seconds this process used.
import http from 'node:http';
import { send } from './lib.mjs';

const BASE = process.env.ATTACK_BASE;
const END = Date.now() + Number(process.env.ATTACK_SECONDS) * 1000;
const MIB = 1024 * 1024;

/** `connections` clients from `localAddress`, each sending `next(i)` until the end; the counts by kind. */
async function attacker(localAddress, connections, next) {
  if (!localAddress) return {}; // this attacker left out
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, localAddress });
  const counts = {};
  let sent = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < END) {
        const { kind = 'all', ...request } = next(sent++);
        const answer = await send(BASE, agent, request);
        const byKind = (counts[kind] ??= {});
        const key = answer.error ? `error:${answer.error}` : String(answer.status);
        byKind[key] = (byKind[key] ?? 0) + 1;
        if (answer.status === 429 && answer.retryAfter !== undefined) byKind['429 with Retry-After'] = (byKind['429 with Retry-After'] ?? 0) + 1;
      }
    }),
  );
  agent.destroy();
  return counts;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (fields) => Buffer.from(new URLSearchParams(fields).toString());

// Existing names (disabled eve among them) and unknown ones, in turn.
const KNOWN = ['johndoe', 'alice', 'stanley', 'mike', 'eve'];
const guess = (i) => ({
  path: '/token',
  headers: FORM,
  body: form({ username: i % 2 === 0 ? KNOWN[(i / 2) % KNOWN.length] : `guess-${i}`, password: `wrong-${i}` }),
});

const padding = 'x'.repeat(MIB);
const BOUNDARY = 'bench-boundary-0123456789';
const multipart = Buffer.from(
  [
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="username"\r\n\r\njohndoe\r\n`,
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="password"\r\n\r\n${padding}\r\n`,
    `--${BOUNDARY}--\r\n`,
  ].join(''),
);
const BODIES = [
  { kind: 'json', path: '/users/signup', headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ username: 'bulky', password: padding })) },
  { kind: 'form', path: '/token', headers: FORM, body: form({ username: 'johndoe', password: padding }) },
  { kind: 'multipart', path: '/token', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body: multipart },
  { kind: 'multipart chunked', path: '/token', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body: multipart, chunked: true },
];

const [flood, guesses, bodies] = await Promise.all([
  attacker(process.env.ATTACK_FLOOD_ADDRESS, 40, () => ({ path: '/token', headers: FORM, body: form({ username: 'johndoe', password: 'secret' }) })),
  attacker(process.env.ATTACK_GUESS_ADDRESS, 16, guess),
  attacker(process.env.ATTACK_BODIES_ADDRESS, 4, (i) => BODIES[i % BODIES.length]),
]);
const { user, system } = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ flood: flood.all, guesses: guesses.all, bodies, cpuSeconds: (user + system) / 1e6 })}\n`);
