// Verified addresses, apart from the writes (UsersService's): the mail an address causes, made when
// it is sent, a user's request for a new link, and what a user sees of their address.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestOrigin } from '../common/request-origin.js';
import { AppConfig } from '../config/app-config.js';
import { Outbox } from '../mail/outbox.js';
import { emailChangeRequestedMessage, linkWith, verifyEmailMessage, type Mail } from '../mail/templates.js';
import { AuditLog } from '../observability/audit-log.js';
import { MailLimit } from '../throttle/mail-limit.js';
import { AccountTokens } from './account-tokens.js';
import { EMAIL_CHANGE_NOTICE, VERIFY_EMAIL, type EmailChangeNoticePayload, type VerifyEmailPayload } from './address-mail.js';
import { emailKey } from './email-address.js';
import type { User } from './user.entity.js';
import { nothingToVerify, userNotFound } from './users.errors.js';
import { UsersService } from './users.service.js';

/** What `GET /users/me/email` answers. */
export interface EmailStatus {
  email: string | null;
  verified: boolean;
  pending_email: string | null;
}

const HOUR_MS = 3_600_000;

/** Whether `email` is still `user`'s, as their pending address or their unverified one. */
export function awaitsVerification(user: Pick<User, 'email' | 'emailKey' | 'emailVerified' | 'pendingEmail'>, email: string): boolean {
  const key = emailKey(email);
  return (user.pendingEmail !== null && emailKey(user.pendingEmail) === key) || (user.emailKey === key && !user.emailVerified);
}

/** The address a new link would verify: the pending one, else the current one while unverified. */
function addressToVerify(user: User): string | null {
  return user.pendingEmail ?? (user.email !== null && !user.emailVerified ? user.email : null);
}

@Injectable()
export class EmailVerification implements OnModuleInit {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: AccountTokens,
    private readonly outbox: Outbox,
    private readonly mailLimit: MailLimit,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.outbox.handle(VERIFY_EMAIL, (payload) => this.verificationMail(payload as unknown as VerifyEmailPayload));
    this.outbox.handle(EMAIL_CHANGE_NOTICE, (payload) => this.changeNotice(payload as unknown as EmailChangeNoticePayload));
  }

  /**
   * A new link for the pending address, or else the unverified one (voiding earlier links). Past
   * the mail limit nothing is sent and the answer is the same.
   */
  async requestVerification(user: User, origin: RequestOrigin): Promise<void> {
    this.outbox.requireAvailable();
    const current = await this.users.findById(user.id);
    if (!current) throw userNotFound();
    const email = addressToVerify(current);
    if (email === null) throw nothingToVerify();
    const sent = await this.mailLimit.allows(origin.address, email);
    if (sent) await this.outbox.send(VERIFY_EMAIL, { userId: current.id, email } satisfies VerifyEmailPayload);
    this.audit.record('email.verification_requested', { username: current.username, user_id: current.id, sent }, origin);
  }

  /** The user's address as it is now, whether verified, and the address waiting to replace it. */
  async status(user: User): Promise<EmailStatus> {
    const current = await this.users.findById(user.id);
    if (!current) throw userNotFound();
    return { email: current.email, verified: current.email !== null && current.emailVerified, pending_email: current.pendingEmail };
  }

  /**
   * Made when the message is sent, so the link's token exists only from then (and the outbox never
   * holds one): nothing, if the user is gone or the address is no longer theirs to verify.
   */
  private async verificationMail({ userId, email }: VerifyEmailPayload): Promise<Mail | null> {
    const user = await this.users.findById(userId);
    if (!user || !awaitsVerification(user, email)) return null;
    const hours = this.config.mail.verifyTokenHours;
    const token = await this.dataSource.transaction((manager) => this.tokens.issue(manager, user.id, 'verify', hours * HOUR_MS, email));
    const url = linkWith(this.config.mail.verifyUrlTemplate, token);
    return { to: email, ...verifyEmailMessage(user.username, url, hours) };
  }

  private async changeNotice({ userId, to, newEmail, at, address }: EmailChangeNoticePayload): Promise<Mail | null> {
    const user = await this.users.findById(userId);
    if (!user) return null;
    return { to, ...emailChangeRequestedMessage(user.username, newEmail, at, address) };
  }
}
