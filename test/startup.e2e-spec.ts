// A start-up that fails, as an operator meets it: the built server (`node dist/server.js`) prints one
// line saying why, on stderr, nothing else, and exits 1. `npm test` builds dist/ first.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, NODE_FLAGS } from './support/built-server.js';

/**
 * The built server in an empty directory, in development (no key needed) unless `env` says otherwise,
 * until it exits: its exit status, and its stdout and stderr as one.
 */
function runToExit(env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'oauth2-startup-'));
  const server = spawn(process.execPath, [...NODE_FLAGS, MAIN], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', DATABASE_URL: `sqlite:${join(dir, 'app.db')}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) =>
    server.once('close', (status) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ status, output });
    }),
  );
}

/** A port that something else already listens on. */
async function portInUse(): Promise<{ port: number; holder: Server }> {
  const holder = createServer();
  await new Promise<void>((resolve, reject) => holder.once('error', reject).listen(0, '127.0.0.1', resolve));
  return { port: (holder.address() as { port: number }).port, holder };
}

describe('a start-up that fails', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error('dist/server.js is missing: run `npm run build` first (npm test does)');
  });

  it('says in one line that the port is in use, and exits 1', async () => {
    const { port, holder } = await portInUse();
    try {
      const result = await runToExit({ PORT: String(port) });
      expect(result).toEqual({ status: 1, output: `Port ${port} on 127.0.0.1 is in use: stop what listens there, or set PORT or HOST\n` });
    } finally {
      holder.close();
    }
  });

  it('says in one line that FIRST_SUPERUSER is refused, and exits 1', async () => {
    const result = await runToExit({ PORT: '0', FIRST_SUPERUSER: 'admin', FIRST_SUPERUSER_PASSWORD: 'a long enough password' });
    expect(result).toEqual({ status: 1, output: 'Configuration error: FIRST_SUPERUSER is refused: username: Value error, this username is reserved\n' });
  });

  it('says in one line what went wrong when the database cannot be reached, and exits 1', async () => {
    const { port, holder } = await portInUse();
    // Something listening that is not PostgreSQL: the connection fails at once.
    holder.on('connection', (socket) => socket.destroy());
    try {
      const result = await runToExit({ PORT: '0', DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/none` });
      expect(result.status).toBe(1);
      expect(result.output).toMatch(/^Start-up failed: [^\n]+\n$/);
    } finally {
      holder.close();
    }
  });

  it('at LOG_LEVEL=debug, shows how far start-up got, then the line, then where it stopped', async () => {
    const { port, holder } = await portInUse();
    holder.on('connection', (socket) => socket.destroy());
    try {
      const result = await runToExit({ PORT: '0', LOG_LEVEL: 'debug', DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/none` });
      expect(result.status).toBe(1);
      expect(result.output).toContain('Starting Nest application...');
      expect(result.output).toMatch(/\nStart-up failed: [^\n]+\n[^\n]*Error[^\n]*\n {4}at /);
    } finally {
      holder.close();
    }
  });
});
