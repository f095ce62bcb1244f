// Requests built to exhaust the service, sent to the built server (`node dist/server.js` with
// start:prod's heap limit) as a separate process: each is refused or cut off at a bounded cost, and
// the process is still alive and answering afterwards. `npm test` builds dist/ first.
//
// The body limit here is 1 MiB, sixteen times the default, so that the limits below hold whatever
// the body limit is set to.
import { existsSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { MAIN, startBuiltServer } from './support/built-server.js';

const STRONG_KEY = 'f3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const BOUNDARY = 'XyZabuse';
const REQUEST_TIMEOUT_SECONDS = 3;
const HEADERS_TIMEOUT_SECONDS = 2;

type Server = Awaited<ReturnType<typeof startBuiltServer>>;

/** A multipart field, without the closing boundary. */
function field(name: string, value: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`), Buffer.from(value), Buffer.from('\r\n')]);
}

const CLOSING = Buffer.from(`--${BOUNDARY}--\r\n`);

function portOf(server: Server): number {
  return Number(new URL(server.base).port);
}

function connect(server: Server): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port: portOf(server), host: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', reject);
  });
}

interface Exchange {
  /** Everything the server sent before the connection closed. */
  received: string;
  elapsedMs: number;
}

/**
 * Sends `head`, then `body` in chunks as fast as the connection takes them, stopping as soon as the
 * server answers or closes; `hold` leaves the connection open afterwards instead of ending it.
 * Resolves once the server has closed the connection.
 */
async function exchange(server: Server, head: string, body: Buffer[] = [], options: { hold?: boolean } = {}): Promise<Exchange> {
  const started = Date.now();
  const socket = await connect(server);
  let received = '';
  let stop = false;
  const closed = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      stop = true;
      received += chunk.toString('latin1');
    });
    // A server that answers and closes while the client still writes resets the connection: the
    // answer counts, the write error not.
    socket.on('error', () => (stop = true));
    socket.on('close', () => {
      stop = true;
      resolve();
    });
  });
  socket.write(head);
  for (const chunk of body) {
    if (stop) break;
    if (!socket.write(chunk)) {
      await new Promise<void>((resolve) => {
        const go = () => {
          socket.off('drain', go);
          socket.off('close', go);
          resolve();
        };
        socket.on('drain', go);
        socket.on('close', go);
      });
    }
  }
  if (!options.hold && !stop) socket.end();
  await closed;
  return { received, elapsedMs: Date.now() - started };
}

function requestHead(method: string, path: string, headers: Record<string, string | number>): string {
  return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
}

function statusOf(received: string): number {
  return Number(/^HTTP\/1\.1 (\d{3}) /.exec(received)?.[1]);
}

function bodyOf(received: string): unknown {
  return JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4));
}

async function isLive(server: Server): Promise<boolean> {
  const response = await fetch(`${server.base}/health/live`);
  await response.arrayBuffer();
  return response.status === 200;
}

/** The built server in production mode with `env` on top, once dist/ is there. */
function startProductionServer(env: Record<string, string>): Promise<Server> {
  if (!existsSync(MAIN)) throw new Error('dist/server.js is missing: run `npm run build` first (npm test does)');
  return startBuiltServer({ NODE_ENV: 'production', SECRET_KEY: STRONG_KEY, LOG_LEVEL: 'warn', PUBLIC_URL: 'https://id.example.com', ...env });
}

describe('requests built to exhaust the service', () => {
  let server: Server;

  beforeAll(async () => {
    server = await startProductionServer({
      BODY_LIMIT_BYTES: String(1024 * 1024),
      REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS),
      HEADERS_TIMEOUT_SECONDS: String(HEADERS_TIMEOUT_SECONDS),
      // Rates are not what this suite is about.
      PASSWORD_CHECKS_PER_ADDRESS: '100000',
      LOGIN_ADDRESS_MAX_FAILURES: '100000',
      LOGIN_MAX_FAILURES: '100000',
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  afterEach(() => {
    // Whatever a test sent, the process must have survived it.
    expect(server.output()).not.toMatch(/heap limit|FATAL ERROR|Allocation failed/);
  });

  it('answers twelve 1 MB multipart logins whose username NFKC would multiply by 18 with 422 string_too_long, and stays alive', async () => {
    // 340,000 × U+FDFA is about 1 MB of UTF-8, and 6 million characters once NFKC-normalised.
    const username = `a${'\uFDFA'.repeat(340_000)}`;
    const body = Buffer.concat([field('username', username), field('password', 'x'), CLOSING]);
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`${server.base}/token`, {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
        body,
      });
      expect([response.status, await response.json()]).toEqual([
        422,
        {
          detail: [
            // The input echoed is what was read of it: the first 4 KiB.
            expect.objectContaining({ type: 'string_too_long', loc: ['body', 'username'], msg: 'String should have at most 254 characters', ctx: { max_length: 254 } }),
          ],
        },
      ]);
    }
    expect(await isLive(server)).toBe(true);
  });

  // A body that never ends cannot have been read before its answer; a 415 rather than a 408 says the
  // answer came before the request timeout.
  it('answers thirteen never-ending 19 MB multipart uploads to /revoke with 415, and stays alive', async () => {
    const megabyte = Buffer.alloc(1024 * 1024, 'a');
    const fields = Array.from({ length: 19 }, (_, i) => field(`f${i}`, megabyte));
    // The declared length includes the closing boundary, which is never sent.
    const length = fields.reduce((sum, f) => sum + f.length, 0) + CLOSING.length;
    const head = requestHead('POST', '/revoke', { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': length });
    const uploads = await Promise.all(Array.from({ length: 13 }, () => exchange(server, head, fields, { hold: true })));
    for (const upload of uploads) {
      expect(statusOf(upload.received)).toBe(415);
      expect(bodyOf(upload.received)).toEqual({ detail: 'Unsupported Media Type' });
    }
    expect(await isLive(server)).toBe(true);
  });

  it('answers a body declared over the limit with 413 while it is still being sent, and closes without a reset', async () => {
    const socket = await connect(server);
    let received = '';
    let writeError: string | undefined;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => (writeError = error.code));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    socket.write(requestHead('POST', '/users/signup', { 'Content-Type': 'application/json', 'Content-Length': 16 * 1024 * 1024 }));
    // The whole body, as a client that does not read answers before it has sent its request does.
    for (let sent = 0; sent < 16 * 1024 * 1024 && !socket.destroyed; sent += chunk.length) {
      if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
    }
    if (!socket.destroyed) socket.end();
    await closed;
    expect(statusOf(received)).toBe(413);
    expect(bodyOf(received)).toEqual({ detail: 'Payload Too Large' });
    expect(writeError).toBeUndefined();
  });

  it(`closes a multipart login whose body never ends with 408 after REQUEST_TIMEOUT_SECONDS (${REQUEST_TIMEOUT_SECONDS} s)`, async () => {
    const start = field('username', 'johndoe');
    const head = requestHead('POST', '/token', { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': start.length + 4096 });
    const held = await exchange(server, head, [start], { hold: true });
    expect(statusOf(held.received)).toBe(408);
    expect(bodyOf(held.received)).toEqual({ detail: 'Request Timeout' });
    expect(held.elapsedMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_SECONDS * 1000 - 100);
    expect(await isLive(server)).toBe(true);
  });

  it(`closes a connection whose headers trickle in with 408 after HEADERS_TIMEOUT_SECONDS (${HEADERS_TIMEOUT_SECONDS} s)`, async () => {
    const started = Date.now();
    const socket = await connect(server);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // One more header line every 200 ms, for as long as the connection stays open.
    let n = 0;
    const trickle = setInterval(() => {
      if (socket.writable) socket.write(`X-Slow-${n++}: ${n}\r\n`);
    }, 200);
    await closed;
    clearInterval(trickle);
    expect(statusOf(received)).toBe(408);
    expect(bodyOf(received)).toEqual({ detail: 'Request Timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_SECONDS * 1000 - 100);
    expect(await isLive(server)).toBe(true);
  });
});

describe('the connection cap', () => {
  const MAX_CONNECTIONS = 6;
  let server: Server;
  const held: Socket[] = [];

  beforeAll(async () => {
    server = await startProductionServer({
      MAX_CONNECTIONS: String(MAX_CONNECTIONS),
      // Idle connections (the start-up probe's) go quickly; held requests stay for the whole test.
      KEEP_ALIVE_TIMEOUT_SECONDS: '1',
      HEADERS_TIMEOUT_SECONDS: '60',
      REQUEST_TIMEOUT_SECONDS: '60',
    });
  });

  afterAll(async () => {
    held.forEach((socket) => socket.destroy());
    await server?.stop();
  });

  /**
   * A new connection that asks for /health/live: 'answered' (and then left half-way through a
   * second request, so that it stays open), or 'refused' (closed without a byte).
   */
  async function openAndHold(): Promise<'answered' | 'refused'> {
    const socket = await connect(server).catch(() => undefined);
    if (!socket) return 'refused';
    const outcome = await new Promise<'answered' | 'refused'>((resolve) => {
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (/\r\n\r\n[\s\S]*\}/.test(received)) resolve('answered');
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(received === '' ? 'refused' : 'answered'));
      socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    });
    if (outcome === 'answered') {
      socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      held.push(socket);
    }
    return outcome;
  }

  /** Opens connections until one is refused; how many were answered first. */
  async function fillUp(): Promise<number> {
    for (let answered = 0; answered <= MAX_CONNECTIONS + 1; answered++) {
      if ((await openAndHold()) === 'refused') return answered;
    }
    return Infinity;
  }

  async function releaseAll(): Promise<void> {
    await Promise.all(held.splice(0).map((socket) => new Promise((resolve) => socket.once('close', resolve).destroy())));
  }

  it('refuses connections beyond MAX_CONNECTIONS at once, while the ones it holds are still answered', async () => {
    // The start-up probe's idle connection may still hold a place until its keep-alive (1 s) ends.
    // The deadlines below only end a wait that would never end; the waits end when the server is seen.
    let answered = await fillUp();
    for (const deadline = Date.now() + 60_000; answered < MAX_CONNECTIONS && Date.now() < deadline; answered = await fillUp()) {
      await releaseAll();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answered).toBe(MAX_CONNECTIONS);

    // A connection the service holds finishes its request and is answered.
    const first = held[0];
    const reply = new Promise<string>((resolve) => first.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
    first.write('\r\n');
    expect(await reply).toMatch(/^HTTP\/1\.1 200 /);

    // Once a connection closes, a new one is taken again.
    await releaseAll();
    let outcome = await openAndHold();
    for (const deadline = Date.now() + 60_000; outcome === 'refused' && Date.now() < deadline; outcome = await openAndHold()) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(outcome).toBe('answered');
  });
});
