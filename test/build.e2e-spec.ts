// The build as the people running from dist/ meet it: `npm run cli` builds only when a source
// changed, and a build replaces dist/ in place under a running server and CLI, never emptying it.
// These run the real build on this checkout (8-20 s each on a busy machine).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBuiltServer } from './support/built-server.js';

const ROOT = process.cwd();
const DIST = join(ROOT, 'dist');
const BUILD_TIMEOUT_MS = 240_000;

/** `npm run cli -- ARGS` in this checkout. */
function npmCli(args: string[]) {
  return spawnSync('npm', ['run', 'cli', '--', ...args], { cwd: ROOT, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
}

/** Every file under dist/, with its modification time. */
function distFiles(dir = DIST, files: Record<string, number> = {}): Record<string, number> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) distFiles(path, files);
    else files[path] = statSync(path).mtimeMs;
  }
  return files;
}

function expectHelp(result: ReturnType<typeof npmCli>) {
  // Matched as a whole so that a failure shows stderr too.
  expect(result).toMatchObject({ status: 0, stdout: expect.stringContaining('Usage: cli [options] [command]') });
}

describe('npm run cli', () => {
  beforeAll(() => {
    // Whatever state dist/ is in, one run brings it up to date.
    expectHelp(npmCli(['--help']));
  }, BUILD_TIMEOUT_MS);

  it('runs the CLI without building when no source changed since the last build', () => {
    const before = distFiles();
    expectHelp(npmCli(['--help']));
    expect(distFiles()).toEqual(before);
  });

  it('builds before running the CLI when a source changed since the last build', () => {
    const changed = Date.now() / 1000;
    // A touch: the content, and so the checkout, stays as it is.
    utimesSync(join(ROOT, 'src', 'main.ts'), changed, changed);
    expectHelp(npmCli(['--help']));
    // The build's stamp: when the last successful build started.
    expect(statSync(join(DIST, '.build-stamp')).mtimeMs).toBeGreaterThan(changed * 1000);
  }, BUILD_TIMEOUT_MS);
});

describe('npm run build under a running server', () => {
  const leftover = join(DIST, 'no-source-produces-this.js');
  afterEach(() => rmSync(leftover, { force: true }));

  it('keeps it serving, and every file it still produces in place throughout; removes the rest at the end', async () => {
    const server = await startBuiltServer({ NODE_ENV: 'development' });
    try {
      writeFileSync(leftover, 'export {};\n');
      const produced = Object.keys(distFiles()).filter((path) => path !== leftover);
      const build = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let errors = '';
      build.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      let status: number | null | undefined;
      build.once('exit', (code) => (status = code));
      const missing = new Set<string>();
      // Looked at every few milliseconds until the build ends.
      while (status === undefined) {
        for (const path of produced) if (!existsSync(path)) missing.add(path);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect({ status, errors }).toMatchObject({ status: 0 });
      expect([...missing]).toEqual([]);
      expect(existsSync(leftover)).toBe(false);
      expect((await fetch(`${server.base}/health/live`)).status).toBe(200);
      const cli = spawnSync(process.execPath, [join(DIST, 'cli', 'main.js'), '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(cli).toMatchObject({ status: 0, stdout: expect.stringContaining('Usage: cli [options] [command]') });
    } finally {
      await server.stop();
    }
  }, BUILD_TIMEOUT_MS);
});
