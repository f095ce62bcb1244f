// Sends what the outbox holds, on every instance. A message is claimed with a lease before it is
// sent (one conditional UPDATE, so two instances never both claim it): it is sent once, unless the
// instance dies mid-send, when the lease runs out and another sends it again (at least once).
// A failed send is retried with a doubling wait; after OUTBOX_MAX_ATTEMPTS it is kept as `failed`.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { AuditLog } from '../observability/audit-log.js';
import { MailTransport, SEND_TIMEOUT_MS } from './mail-transport.js';
import { Outbox } from './outbox.js';
import { OutboxMessage, type OutboxStatus } from './outbox-message.entity.js';
import type { Mail } from './templates.js';

/** How long a claim lasts: longer than any send may take (SEND_TIMEOUT_MS) and its bookkeeping. */
export const LEASE_MS = 4 * SEND_TIMEOUT_MS;

/** Messages claimed per query. */
const BATCH = 20;

/** The longest wait between two attempts. */
const MAX_RETRY_MS = 60 * 60 * 1000;

/** Sent, skipped and held messages are deleted this long after; failed ones are kept for operators. */
export const DONE_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  /** This instance, as leases name it. */
  private readonly owner = `${hostname().slice(0, 30)}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly outbox: Outbox,
    private readonly transport: MailTransport,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.transport.enabled) {
      this.logger.log(
        this.config.nodeEnv === 'production'
          ? 'No SMTP_URL: password recovery, email verification and other mail are off'
          : 'No SMTP_URL: mail is not sent; each message is written to this log instead',
      );
    }
    this.outbox.onWake(() => this.kick());
    if (this.config.mail.outboxPollMs === 0) return;
    this.timer = setInterval(() => this.kick(), this.config.mail.outboxPollMs);
    this.timer.unref();
    this.kick();
  }

  /** Before the database closes: no new pass, and the one under way finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }

  /** Starts a pass unless one is under way; then another follows it, for what arrived meanwhile. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: Error) => this.logger.warn(`Outbox pass failed: ${error.message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** One pass: every due message this instance can claim, a batch at a time; then a bounded cleanup. */
  async drain(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const due = await this.messages
        .createQueryBuilder('m')
        .select('m.id', 'id')
        .where("m.status = 'pending' AND m.next_attempt_at <= :now AND (m.lease_until IS NULL OR m.lease_until < :now)", { now })
        .orderBy('m.next_attempt_at', 'ASC')
        .limit(BATCH)
        .getRawMany<{ id: string }>();
      let claimed = 0;
      for (const { id } of due) {
        if (this.stopped) return;
        const message = await this.claim(id);
        if (!message) continue;
        claimed++;
        await this.deliver(message);
      }
      if (due.length < BATCH || claimed === 0) break;
    }
    await this.messages.delete({ status: 'sent', doneAt: LessThan(Date.now() - DONE_KEPT_MS) });
    await this.messages.delete({ status: 'skipped', doneAt: LessThan(Date.now() - DONE_KEPT_MS) });
  }

  /** The message, if this instance got it: it was due, and nobody holds a live lease on it. */
  private async claim(id: string): Promise<OutboxMessage | null> {
    const now = Date.now();
    const result = await this.messages
      .createQueryBuilder()
      .update(OutboxMessage)
      .set({ leaseOwner: this.owner, leaseUntil: now + LEASE_MS, attempts: () => 'attempts + 1' })
      .where("id = :id AND status = 'pending' AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now)", { id, now })
      .execute();
    if (result.affected !== 1) return null;
    return this.messages.findOneBy({ id });
  }

  private async deliver(message: OutboxMessage): Promise<void> {
    const handler = this.outbox.handlerFor(message.kind);
    try {
      if (!handler) throw new Error(`no handler for ${message.kind}`);
      const mail = await handler(JSON.parse(message.payload) as Record<string, unknown>);
      if (!mail) return await this.finish(message, 'skipped');
      if (!this.transport.enabled) {
        this.logger.log({ msg: 'Mail not sent (no SMTP_URL)', kind: message.kind, to: mail.to, subject: mail.subject, text: mail.text });
        return await this.finish(message, 'held');
      }
      await this.sendWithin(mail);
      await this.finish(message, 'sent');
      this.audit.record('mail.sent', { kind: message.kind, message_id: message.id });
    } catch (error) {
      await this.failed(message, error as Error);
    }
  }

  private async sendWithin(mail: Mail): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the SMTP server within ${SEND_TIMEOUT_MS} ms`)), SEND_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.transport.send(mail), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async finish(message: OutboxMessage, status: OutboxStatus): Promise<void> {
    await this.messages.update(
      { id: message.id, leaseOwner: this.owner },
      { status, doneAt: Date.now(), leaseOwner: null, leaseUntil: null, lastError: null },
    );
  }

  private async failed(message: OutboxMessage, error: Error): Promise<void> {
    const lastError = error.message.slice(0, 1000);
    if (message.attempts >= this.config.mail.outboxMaxAttempts) {
      await this.messages.update({ id: message.id, leaseOwner: this.owner }, { status: 'failed', doneAt: Date.now(), leaseOwner: null, leaseUntil: null, lastError });
      this.logger.error({ msg: 'Mail given up on', kind: message.kind, message_id: message.id, attempts: message.attempts, error: lastError });
      this.audit.record('mail.failed', { kind: message.kind, message_id: message.id, attempts: message.attempts });
      return;
    }
    const wait = Math.min(this.config.mail.outboxRetryMs * 2 ** (message.attempts - 1), MAX_RETRY_MS);
    await this.messages.update(
      { id: message.id, leaseOwner: this.owner },
      { nextAttemptAt: Date.now() + wait, leaseOwner: null, leaseUntil: null, lastError },
    );
    this.logger.warn({ msg: 'Mail not sent; will retry', kind: message.kind, message_id: message.id, attempts: message.attempts, retry_in_ms: wait, error: lastError });
  }
}
