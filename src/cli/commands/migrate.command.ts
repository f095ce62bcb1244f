import { Command } from 'nest-commander';
import { AdminCommand } from '../admin-command.js';
import { CliDatabase } from '../cli-database.js';

@Command({ name: 'migrate', description: 'Run pending database migrations and say how many ran' })
export class MigrateCommand extends AdminCommand {
  constructor(private readonly database: CliDatabase) {
    super();
  }

  async run(): Promise<void> {
    const ran = await this.database.open();
    if (ran.length === 0) {
      this.say('No pending migrations: the database is up to date.');
      return;
    }
    this.say(`Applied ${ran.length} migration${ran.length === 1 ? '' : 's'}: ${ran.join(', ')}.`);
  }
}
