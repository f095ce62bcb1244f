// Password recovery: "I forgot my password" by mail. A request is handed to the outbox as it is, so
// it does the same work whether the address belongs to an account or not; the outbox's handler, at
// send time, decides whether there is anyone to send a link to. The link's token is issued then too,
// so no usable token is ever stored.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestOrigin } from '../common/request-origin.js';
import { AppConfig } from '../config/app-config.js';
import { Outbox } from '../mail/outbox.js';
import { linkWith, passwordResetMessage, type Mail } from '../mail/templates.js';
import { AuditLog } from '../observability/audit-log.js';
import { MailLimit } from '../throttle/mail-limit.js';
import { AccountTokens } from '../users/account-tokens.js';
import { PasswordChangeNotice } from '../users/password-change-notice.js';
import { UsersService } from '../users/users.service.js';
import { invalidToken } from '../users/users.errors.js';

const KIND = 'password_recovery';

@Injectable()
export class RecoveryService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: AccountTokens,
    private readonly notice: PasswordChangeNotice,
    private readonly outbox: Outbox,
    private readonly mailLimit: MailLimit,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {
    outbox.handle(KIND, (payload) => this.resetMail(String(payload.email)));
  }

  /**
   * Asks for a reset link to be mailed to `email`. Nothing here looks the address up, so a request
   * for an unknown address takes as long as one for a known address; past a mail limit nothing is
   * written, and the caller answers the same.
   */
  async requestRecovery(email: string, origin: RequestOrigin): Promise<void> {
    this.outbox.requireAvailable();
    const allowed = await this.mailLimit.allows(origin.address, email);
    if (allowed) await this.outbox.send(KIND, { email, address: origin.address, at: Date.now() });
    // Not the address: whether it belongs to an account is exactly what the answer does not say.
    this.audit.record('password.recovery_requested', { limited: !allowed }, origin);
  }

  /**
   * The reset mail for `email`, at send time: a new link (voiding the account's earlier ones) to an
   * active account that has the address; nothing for an unknown or disabled one.
   */
  private async resetMail(email: string): Promise<Mail | null> {
    const user = await this.users.findForRecovery(email);
    if (!user?.email) return null;
    const minutes = this.config.mail.resetTokenMinutes;
    const token = await this.dataSource.transaction((manager) => this.tokens.issue(manager, user.id, 'reset', minutes * 60_000));
    const url = linkWith(this.config.mail.resetUrlTemplate, token);
    return { to: user.email, ...passwordResetMessage(user.username, url, minutes) };
  }

  /** Whether `token` is a reset link that still works (for the page the link opens; spends nothing). */
  async isLive(token: string): Promise<boolean> {
    return (await this.tokens.findLive(this.dataSource.manager, token, 'reset')) !== null;
  }

  /**
   * Sets a new password with a mailed token. The token is looked up first without being spent, so a
   * password the policy refuses (which needs the account's name) leaves the link working; then, in
   * one transaction, the token is spent, the password set, every session and token of the account
   * ended, its other reset links voided and its address told.
   */
  async resetPassword(token: string, newPassword: string, origin: RequestOrigin): Promise<void> {
    const found = await this.tokens.findLive(this.dataSource.manager, token, 'reset');
    const user = found && (await this.users.findById(found.userId));
    if (!user || user.disabled) throw invalidToken();
    await this.users.resetPassword(user, newPassword, origin, async (manager) => {
      if (!(await this.tokens.consume(manager, token, 'reset'))) throw invalidToken();
      await this.notice.record(manager, user.id, origin);
    });
    this.notice.wake();
  }
}
