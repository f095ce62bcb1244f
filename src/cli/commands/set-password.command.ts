import { Command } from 'nest-commander';
import { UsersService } from '../../users/users.service.js';
import { AdminCommand, CLI_ACTOR, existingUser } from '../admin-command.js';
import { CliDatabase } from '../cli-database.js';
import { NewPassword, validated } from '../cli-inputs.js';
import { readNewPassword } from '../password-input.js';

@Command({
  name: 'set-password',
  arguments: '<username>',
  description: "Set a user's password, read from a prompt or stdin; their earlier tokens stop working",
})
export class SetPasswordCommand extends AdminCommand {
  protected override readonly readsPassword = true;

  constructor(
    private readonly users: UsersService,
    private readonly database: CliDatabase,
  ) {
    super();
  }

  async run([username]: string[]): Promise<void> {
    await this.database.open();
    const user = await existingUser(this.users, username);
    const { password } = validated(NewPassword, { password: await readNewPassword() });
    // As PATCH /users/{username} does: a new hash and a new token version in one statement.
    await this.users.adminUpdate(CLI_ACTOR, user, { password });
    this.say(`Changed the password of ${user.username}; their earlier tokens and sessions no longer work.`);
  }
}
