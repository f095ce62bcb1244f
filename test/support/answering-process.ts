// A Node process started for a suite, ready once it answers HTTP at all (whatever its log level
// lets it print), its output kept for the error that says why it did not.
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * How long a start may take before it counts as hung. A start takes about a second; the deadline
 * only ends a start that hangs, so it is far beyond what a busy machine needs (and within the 120 s
 * a test or hook may take).
 */
export const STARTUP_DEADLINE_MS = 90_000;

export interface AnsweringProcess {
  child: ChildProcess;
  /** Everything it printed, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with its exit code (null after a signal) once it is gone. */
  exited: Promise<number | null>;
}

/** `node args` with `env` (and PATH only) in `cwd`; resolves once `readyUrl` answers. `what` names it in errors. */
export async function startAnswering(
  args: string[],
  { cwd, env, readyUrl, what }: { cwd?: string; env: Record<string, string>; readyUrl: string; what: string },
): Promise<AnsweringProcess> {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exitCode = code))));
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`${what} exited with ${exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${what} gave no answer within ${STARTUP_DEADLINE_MS / 1000} s:\n${output}`);
    }
    const answered = await fetch(readyUrl).then(
      () => true,
      () => false,
    );
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output, exited };
}
