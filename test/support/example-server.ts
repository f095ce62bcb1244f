// An example of examples/ (a second application) run as a process of its own, as its README runs
// it: ready once it answers HTTP at all, its output kept for the error that says why it did not.
import { spawn } from 'node:child_process';

/** Far beyond a start on a busy machine; only a start that hangs reaches it. */
const DEADLINE_MS = 90_000;

export interface ExampleServer {
  base: string;
  stop(): Promise<void>;
}

/** `node script` on 127.0.0.1:`port` with `env` (and PATH only), once `readyPath` answers. */
export async function startExampleServer(script: string, port: number, env: Record<string, string>, readyPath = '/', cwd?: string): Promise<ExampleServer> {
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve((exitCode = code))));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`the example exited with ${exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the example gave no answer within ${DEADLINE_MS / 1000} s:\n${output}`);
    }
    const answered = await fetch(`${base}${readyPath}`).then(
      () => true,
      () => false,
    );
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    base,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
