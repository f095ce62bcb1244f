import { Command } from 'nest-commander';
import { PasswordHasher } from '../../password/password-hasher.js';
import { AdminCommand } from '../admin-command.js';
import { NewPassword, validated } from '../cli-inputs.js';
import { readNewPassword } from '../password-input.js';

@Command({
  name: 'hash-password',
  description: "Print the argon2id hash the service would store for a password read from a prompt or stdin (no database needed)",
})
export class HashPasswordCommand extends AdminCommand {
  protected override readonly readsPassword = true;

  constructor(private readonly hasher: PasswordHasher) {
    super();
  }

  async run(): Promise<void> {
    const { password } = validated(NewPassword, { password: await readNewPassword() });
    this.say(await this.hasher.hash(password));
  }
}
