import { Injectable } from '@nestjs/common';
import { Command } from 'nest-commander';
import { MailTransport } from '../../mail/mail-transport.js';
import { testMessage } from '../../mail/templates.js';
import { AdminCommand } from '../admin-command.js';
import { CommandRefused } from '../command-refused.js';
import { validated } from '../cli-inputs.js';
import { IsDefined } from 'class-validator';
import { EmailRules } from '../../users/dto/field-rules.js';

class TestAddress {
  @IsDefined()
  @EmailRules()
  email: string;
}

/**
 * Sends a message straight through SMTP_URL (not through the outbox), so an operator learns at once
 * whether mail from this service gets out, and if not, why.
 */
@Injectable()
@Command({ name: 'send-test-email', arguments: '<address>', description: 'Send a test message through SMTP_URL now, and say whether it went' })
export class SendTestEmailCommand extends AdminCommand {
  constructor(private readonly transport: MailTransport) {
    super();
  }

  async run([address]: string[]): Promise<void> {
    const { email } = validated(TestAddress, { email: address });
    if (!this.transport.enabled) throw new CommandRefused('SMTP_URL is not set: this service sends no mail');
    try {
      await this.transport.send({ to: email, ...testMessage(Date.now()) });
    } catch (error) {
      throw new CommandRefused(`The test message to ${email} was not sent: ${(error as Error).message}`);
    } finally {
      this.transport.close();
    }
    this.say(`Sent a test message to ${email}.`);
  }
}
