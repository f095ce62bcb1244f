import { Command, Option } from 'nest-commander';
import { UsersService } from '../../users/users.service.js';
import { AdminCommand } from '../admin-command.js';
import { CliDatabase } from '../cli-database.js';
import { importUsers, readUsersFile } from '../user-import.js';

@Command({
  name: 'import-users',
  arguments: '<file>',
  description: "Import users from a JSON file shaped like the tutorial's fake_users_db, keeping their hashes; all or nothing",
})
export class ImportUsersCommand extends AdminCommand {
  constructor(
    private readonly database: CliDatabase,
    private readonly users: UsersService,
  ) {
    super();
  }

  async run([file]: string[], options: { overwrite?: boolean }): Promise<void> {
    const users = readUsersFile(file);
    await this.database.open();
    const report = await importUsers(this.users, users, options.overwrite === true);
    report.lines.forEach((line) => this.say(line));
    this.say(`${report.imported} imported, ${report.replaced} replaced, ${report.skipped} left alone`);
  }

  @Option({ flags: '--overwrite', description: 'replace users that exist (their tokens end)' })
  parseOverwrite(): boolean {
    return true;
  }
}
