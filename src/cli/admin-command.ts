// What every command of the admin CLI shares: usage errors that exit 2 instead of ending the
// process inside commander, no extra arguments (so a password typed after the name is refused,
// never taken), and its output.
import { userInfo } from 'node:os';
import { CommandRunner } from 'nest-commander';
import type { User } from '../users/user.entity.js';
import type { UsersService } from '../users/users.service.js';
import { CommandRefused } from './command-refused.js';

export type Program = Parameters<CommandRunner['setCommand']>[0];

/**
 * Who the audit lines name for changes made here: `cli:` and the account that ran the command
 * (never a username of the service: those cannot contain a colon).
 */
export const CLI_ACTOR = { username: `cli:${osUsername()}` };

function osUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export const USAGE_HINT = '(add --help for usage)';

const PASSWORD_HINT = 'Passwords are read from a prompt, or from the first line of stdin, never from the command line.';

export function configureUsage(program: Program): Program {
  return program.exitOverride().allowExcessArguments(false).showHelpAfterError(USAGE_HINT);
}

export abstract class AdminCommand extends CommandRunner {
  /** True for the commands that read a password, whose help and usage errors say how. */
  protected readonly readsPassword: boolean = false;

  override setCommand(command: Program): this {
    configureUsage(command);
    if (this.readsPassword) {
      command.showHelpAfterError(`${PASSWORD_HINT} ${USAGE_HINT}`);
      // A function, so that the arguments declared after this call are in the example.
      command.addHelpText('after', () => {
        const usage = `${command.name()} ${command.usage().replace('[options]', '')}`.replace(/\s+/g, ' ').trim();
        return `\n${PASSWORD_HINT}\nAt a terminal it is asked twice and not echoed; piped, for example:\n  printf '%s\\n' "$PASSWORD" | npm run cli -- ${usage}`;
      });
    }
    return super.setCommand(command);
  }

  protected say(line: string): void {
    process.stdout.write(`${line}\n`);
  }
}

/** The user called `username` (ignoring case, as logins do), or a refusal naming it. */
export async function existingUser(users: UsersService, username: string): Promise<User> {
  const user = await users.findByUsername(username);
  if (!user) throw new CommandRefused(`No user named "${username}"`);
  return user;
}
