import { Injectable } from '@nestjs/common';
import { Command } from 'nest-commander';
import { UsersService } from '../../users/users.service.js';
import { AdminCommand, CLI_ACTOR, existingUser } from '../admin-command.js';
import { CliDatabase } from '../cli-database.js';

/** disable-user and enable-user. Running one twice changes nothing and says so. */
@Injectable()
abstract class AccountStateCommand extends AdminCommand {
  protected abstract readonly disable: boolean;

  constructor(
    private readonly users: UsersService,
    private readonly database: CliDatabase,
  ) {
    super();
  }

  async run([username]: string[]): Promise<void> {
    await this.database.open();
    const user = await existingUser(this.users, username);
    const state = this.disable ? 'disabled' : 'enabled';
    if (user.disabled === this.disable) {
      this.say(`${user.username} is already ${state}.`);
      return;
    }
    await this.users.adminUpdate(CLI_ACTOR, user, { disabled: this.disable });
    this.say(`${user.username} is now ${state}.`);
  }
}

@Command({
  name: 'disable-user',
  arguments: '<username>',
  description: 'Disable a user: no more logins, and their tokens answer 400 Inactive user',
})
export class DisableUserCommand extends AccountStateCommand {
  protected readonly disable = true;
}

@Command({ name: 'enable-user', arguments: '<username>', description: 'Enable a disabled user again' })
export class EnableUserCommand extends AccountStateCommand {
  protected readonly disable = false;
}
