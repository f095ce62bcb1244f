// Password hashing yields the CPU to requests: on Linux every thread of the built server but the
// main one (libuv's workers, where argon2 runs and starts its own threads) runs at HASH_NICE.
import { readdirSync, readFileSync } from 'node:fs';
import { postForm, startBuiltServer } from './support/built-server.js';

/** The nice value of each thread of `pid`: field 19 of /proc/PID/task/TID/stat. */
function niceByThread(pid: number): Map<number, number> {
  const nice = new Map<number, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nice.set(Number(task), Number(fields[16]));
  }
  return nice;
}

(process.platform === 'linux' ? describe : describe.skip)('hashing priority', () => {
  it.each([
    ['default', {}, 10],
    ['HASH_NICE=0', { HASH_NICE: '0' }, 0],
  ])('runs every thread but the main one at the configured nice (%s)', async (_case, env: Record<string, string>, expected) => {
    const server = await startBuiltServer({ NODE_ENV: 'development', SECRET_KEY: '5c73d468e949cc1a6cc8c82ff204aee4975d965ebf1c9ea920c11074b08813d9', DEMO_DATA: 'true', LOG_LEVEL: 'warn', ...env });
    try {
      // A login runs argon2, whose own threads inherit the worker's priority.
      expect((await postForm(`${server.base}/token`, 'username=johndoe&password=secret')).status).toBe(200);
      const nice = niceByThread(server.pid);
      expect(nice.get(server.pid)).toBe(0);
      const others = [...nice].filter(([tid]) => tid !== server.pid).map(([, value]) => value);
      expect(others.length).toBeGreaterThanOrEqual(4);
      expect(new Set(others)).toEqual(new Set([expected]));
    } finally {
      await server.stop();
    }
  });
});
