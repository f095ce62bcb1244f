import { Injectable } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { Outbox } from '../../mail/outbox.js';
import type { OutboxMessage } from '../../mail/outbox-message.entity.js';
import { AdminCommand } from '../admin-command.js';
import { CliDatabase } from '../cli-database.js';

interface OutboxOptions {
  retryFailed?: boolean;
}

/** One line per message: when, what, its state, and why the last attempt failed. */
function describe(message: OutboxMessage): string {
  const created = new Date(message.createdAt).toISOString();
  const next = message.status === 'pending' ? ` next attempt ${new Date(message.nextAttemptAt).toISOString()}` : '';
  const error = message.lastError ? ` last error: ${message.lastError}` : '';
  return `${message.id} ${created} ${message.kind} ${message.status} attempts ${message.attempts}${next}${error}`;
}

/**
 * The messages waiting to be sent, and those given up on (kept until an operator retries them):
 * what the running service's outbox worker has not delivered.
 */
@Injectable()
@Command({ name: 'outbox', description: 'List mail waiting to be sent and mail given up on (failed)' })
export class OutboxCommand extends AdminCommand {
  constructor(
    private readonly outbox: Outbox,
    private readonly database: CliDatabase,
  ) {
    super();
  }

  async run(_arguments: string[], options: OutboxOptions): Promise<void> {
    await this.database.open();
    if (options.retryFailed) {
      const count = await this.outbox.retryFailed();
      this.say(`${count} failed message${count === 1 ? '' : 's'} queued again.`);
      return;
    }
    const messages = await this.outbox.list(['pending', 'failed']);
    if (messages.length === 0) {
      this.say('No mail is waiting and none has failed.');
      return;
    }
    for (const message of messages) this.say(describe(message));
  }

  @Option({ flags: '--retry-failed', description: 'queue every failed message again, from its first attempt' })
  parseRetryFailed(): boolean {
    return true;
  }
}
