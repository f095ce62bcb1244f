// Where the CLI gets a password: typed at a prompt that does not echo it when stdin is a terminal,
// or the first line of stdin when it is piped. Never from the command line, where `ps` shows it to
// every user of the machine and the shell keeps it in its history.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CommandRefused } from './command-refused.js';

/** A new password: asked twice at a terminal, or the first line of piped stdin (without its newline). */
export async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const line = await firstLineOfStdin();
    if (line === undefined) throw new CommandRefused('No password on stdin: pipe it as one line, or run in a terminal to be asked');
    return line;
  }
  const password = await askWithoutEcho('Password: ');
  const again = await askWithoutEcho('Password (again): ');
  if (password !== again) throw new CommandRefused('The two passwords do not match');
  return password;
}

async function firstLineOfStdin(): Promise<string | undefined> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
    return undefined;
  } finally {
    // Whatever follows the first line is not read: stop reading so the process can end.
    process.stdin.destroy();
  }
}

/** The prompt goes to stderr (stdout may be a pipe); what is typed is never written anywhere. */
function askWithoutEcho(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let muted = false;
    const output = new Writable({
      write(chunk, _encoding, done) {
        if (!muted) process.stderr.write(chunk);
        done();
      },
    });
    const terminal = createInterface({ input: process.stdin, output, terminal: true });
    let answered = false;
    terminal.on('SIGINT', () => {
      // Leave raw mode first, then end as Ctrl-C ends any command (exit status 130).
      terminal.close();
      process.stderr.write('\n');
      process.kill(process.pid, 'SIGINT');
    });
    terminal.on('close', () => {
      if (answered) return;
      process.stderr.write('\n');
      reject(new CommandRefused('No password given'));
    });
    terminal.question(prompt, (answer) => {
      answered = true;
      process.stderr.write('\n');
      terminal.close();
      resolve(answer);
    });
    muted = true;
  });
}
