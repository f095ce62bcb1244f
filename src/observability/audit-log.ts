// Security-relevant events as log lines of their own (`"audit": "<event>"`), carrying the id and
// address of the request that caused them. Who, what and from where; never a password, token or hash.
// A name that failed to log in is recorded only when such a user exists: people type passwords into
// the username field.
import { Injectable, Logger, Optional } from '@nestjs/common';
import type { RequestOrigin } from '../common/request-origin.js';
import { Metrics } from './metrics.js';

export type AuditEvent =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.locked_out'
  | 'token.refresh_reuse'
  | 'session.ended'
  | 'sessions.ended_all'
  | 'user.signed_up'
  | 'user.password_changed'
  | 'user.deleted'
  | 'admin.user_created'
  | 'admin.user_changed'
  | 'admin.user_deleted'
  | 'admin.client_created'
  | 'admin.client_secret_rotated'
  | 'admin.client_deleted'
  | 'client.token_issued'
  | 'authorization_code.replayed'
  | 'email.verification_requested'
  | 'email.change_requested'
  | 'email.verified'
  | 'password.recovery_requested'
  | 'password.reset'
  | 'mail.sent'
  | 'mail.failed';

export type AuditFields = Record<string, string | number | boolean | null | string[] | undefined>;

@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');

  /** `metrics` is absent outside the HTTP service (the admin CLI). */
  constructor(@Optional() private readonly metrics?: Metrics) {}

  /** `origin` is the request that caused the event; none for the admin CLI. */
  record(event: AuditEvent, fields: AuditFields, origin?: RequestOrigin): void {
    const request = origin ? { request_id: origin.requestId, address: origin.address } : {};
    this.logger.log({ audit: event, ...request, ...fields, msg: event });
    this.metrics?.countEvent(event);
  }
}
