// The built server (`node dist/server.js`, the bundle `npm run start:prod` runs) as a separate
// process on a free port, for suites that need real processes: start-up refusals, logs, several
// instances. `npm test` builds dist/ first.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAnswering } from './answering-process.js';

export const MAIN = join(process.cwd(), 'dist', 'server.js');

/** Node's flags as `npm run start:prod` gives them (a flag this Node refuses fails every suite here). */
export const NODE_FLAGS: string[] = (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[
  'start:prod'
]
  .split(' ')
  .filter((word) => word.startsWith('--'));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export function postForm(url: string, body: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
}

/**
 * `npm run start:prod`'s command in a directory of its own (holding `files`, such as a .env), on a
 * free port (or `port`, for a server that must know its own address first), with its output
 * collected; `args` follow the script's, as `npm start` passes them.
 */
export async function startBuiltServer(
  env: Record<string, string>,
  { args = [], files = {}, port: chosenPort }: { args?: string[]; files?: Record<string, string>; port?: number } = {},
) {
  const port = chosenPort ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'oauth2-prod-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const base = `http://127.0.0.1:${port}`;
  const { child: server, output, exited } = await startAnswering([...NODE_FLAGS, MAIN, ...args], {
    cwd: dir,
    env: { PORT: String(port), DATABASE_URL: `sqlite:${join(dir, 'data', 'app.db')}`, ...env },
    readyUrl: `${base}/openapi.json`,
    what: 'the server',
  });
  return {
    base,
    dir,
    pid: server.pid!,
    output,
    /** Sends `signal` and resolves with the exit code once the process is gone; keeps its files. */
    async signal(signal: NodeJS.Signals): Promise<number | null> {
      server.kill(signal);
      return exited;
    },
    /** Kills the process without a chance to clean up, and keeps its files (for fault tests). */
    kill(signal: NodeJS.Signals) {
      server.kill(signal);
    },
    async stop() {
      server.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

