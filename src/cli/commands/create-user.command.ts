import { Injectable } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { UsersService } from '../../users/users.service.js';
import { isReservedUsername } from '../../users/username.js';
import { AdminCommand, CLI_ACTOR } from '../admin-command.js';
import { CliDatabase } from '../cli-database.js';
import { NewAccountFields, NewPassword, validated } from '../cli-inputs.js';
import { CommandRefused } from '../command-refused.js';
import { readNewPassword } from '../password-input.js';

interface NewUserOptions {
  email?: string;
  fullName?: string;
}

/** create-user and create-superuser: the API's rules, checked before the password is asked for. */
@Injectable()
abstract class NewUserCommand extends AdminCommand {
  protected abstract readonly superuser: boolean;
  protected override readonly readsPassword = true;

  constructor(
    private readonly users: UsersService,
    private readonly database: CliDatabase,
  ) {
    super();
  }

  async run([username]: string[], options: NewUserOptions): Promise<void> {
    const account = validated(NewAccountFields, { username, email: options.email, full_name: options.fullName });
    if (isReservedUsername(account.username)) throw new CommandRefused(`The username "${account.username}" is reserved`);
    await this.database.open();
    if (await this.users.findByUsername(account.username)) throw new CommandRefused(`The username "${account.username}" is already registered`);
    const { password } = validated(NewPassword, { password: await readNewPassword() });
    const user = await this.users.adminCreate(CLI_ACTOR, { ...account, password, is_superuser: this.superuser });
    this.say(`Created ${this.superuser ? 'superuser' : 'user'} ${user.username}.`);
  }

  @Option({ flags: '--email <address>', description: 'their email address' })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--full-name <name>', description: 'their full name' })
  parseFullName(value: string): string {
    return value;
  }
}

@Command({
  name: 'create-user',
  arguments: '<username>',
  description: 'Create a user; the password is read from a prompt or stdin',
})
export class CreateUserCommand extends NewUserCommand {
  protected readonly superuser = false;
}

@Command({
  name: 'create-superuser',
  arguments: '<username>',
  description: 'Create a superuser (may ask for the admin scope); the password is read from a prompt or stdin',
})
export class CreateSuperuserCommand extends NewUserCommand {
  protected readonly superuser = true;
}
