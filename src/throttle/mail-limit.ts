// How many recovery and verification mails one client address may ask for (MAIL_MAX_PER_ADDRESS),
// and one email address may be sent (MAIL_MAX_PER_EMAIL), per MAIL_WINDOW_SECONDS. Past either,
// the request is answered as usual and nothing is sent: the answer reveals nothing, and a stranger
// can hold back a victim's mail for one window at most.
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { emailKey } from '../users/email-address.js';
import { counterKeyOf } from './client-address.js';
import { CounterStore } from './counter-store.js';

@Injectable()
export class MailLimit {
  constructor(
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {}

  /** Counts a mail `address` asks to be sent to `email`; false when either is past its limit. */
  async allows(address: string | null, email: string): Promise<boolean> {
    const windowMs = this.config.mail.mailWindowSeconds * 1000;
    // A digest: the store never holds an address, and keys stay short whatever was submitted.
    const recipient = createHash('sha256').update(emailKey(email)).digest('base64url').slice(0, 22);
    const [byAddress, byEmail] = await Promise.all([
      this.counters.increment(`mail:address:${counterKeyOf(address)}`, windowMs),
      this.counters.increment(`mail:email:${recipient}`, windowMs),
    ]);
    return byAddress.count <= this.config.mail.mailMaxPerAddress && byEmail.count <= this.config.mail.mailMaxPerEmail;
  }
}
