/** What the service sends mail with, and the rules of mailed links (configuration, docs/operations.md). */
export interface MailSettings {
  /** `smtp://user:pass@host:587` or `smtps://…`; unset: nothing is sent (see OutboxWorker). */
  readonly smtpUrl: string | undefined;
  /** The From of every message. */
  readonly from: string;
  /** The reset link's address, `{token}` standing for the token. */
  readonly resetUrlTemplate: string;
  readonly verifyUrlTemplate: string;
  readonly resetTokenMinutes: number;
  readonly verifyTokenHours: number;
  /** When true, a user whose address is not verified cannot log in. */
  readonly requireVerifiedEmail: boolean;
  /** How often each instance looks for messages to send; new messages are sent at once anyway. */
  readonly outboxPollMs: number;
  /** The wait before the first retry of a failed send; it doubles with each failure, up to an hour. */
  readonly outboxRetryMs: number;
  /** Sends tried before a message is given up on (kept, `failed`, listed by `npm run cli -- outbox`). */
  readonly outboxMaxAttempts: number;
  /** Recovery and verification mails one client address may ask for, and one email address may receive, per window. */
  readonly mailMaxPerAddress: number;
  readonly mailMaxPerEmail: number;
  readonly mailWindowSeconds: number;
}
