// An example of examples/ (a second application) run as a process of its own, as its README runs
// it: ready once it answers HTTP at all, its output kept for the error that says why it did not.
import { spawn } from 'node:child_process';
import { startAnswering } from './answering-process.js';

/** How long a run may take before it counts as hung: far beyond what a busy machine needs. */
const RUN_DEADLINE_MS = 90_000;

export interface ExampleServer {
  base: string;
  stop(): Promise<void>;
}

/** `node args` run to its end without holding the event loop (the services under test answer meanwhile). */
export function runNode(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_DEADLINE_MS);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** `node script` on 127.0.0.1:`port` with `env` (and PATH only), once `readyPath` answers. */
export async function startExampleServer(script: string, port: number, env: Record<string, string>, readyPath = '/', cwd?: string): Promise<ExampleServer> {
  const base = `http://127.0.0.1:${port}`;
  const { child, exited } = await startAnswering([script], { cwd, env: { PORT: String(port), ...env }, readyUrl: `${base}${readyPath}`, what: 'the example' });
  return {
    base,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
