// The Redis the suites share (TEST_REDIS_URL, or the local one). A suite that needs it skips with a
// visible reason where it is absent; in CI its absence is a failure, never a silent pass.
import { connect } from 'node:net';

export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when something answers at `redisUrl`; throws in CI when nothing does. */
export async function redisIsAvailable(purpose: string): Promise<boolean> {
  const available = await new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(redisUrl);
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    // Local Redis answers at once; the limit is only for an address where nothing answers at all.
    socket.setTimeout(10_000, () => socket.destroy());
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false)).once('close', () => resolve(false));
    socket.once('connect', () => socket.end());
  });
  if (!available && process.env.CI === 'true') throw new Error(`Redis is required in CI but ${redisUrl} does not answer`);
  if (!available) console.warn(`Skipping ${purpose}: nothing answers at ${redisUrl}`);
  return available;
}

/** Environment for an app whose limits count in Redis, under a key prefix of its own. */
export function redisEnv(): Record<string, string> {
  return { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `e2e-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}:` };
}
