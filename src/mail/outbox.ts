// The outbox: messages written in the same transaction as the change that causes them, and sent by
// OutboxWorker once it commits. A row holds what a message is about; what it says (and the token of
// its link, if it has one) is made by its kind's handler when it is sent.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { mailUnavailable } from './mail-errors.js';
import { MailTransport } from './mail-transport.js';
import { OutboxMessage, type OutboxStatus } from './outbox-message.entity.js';
import { testMessage, type Mail } from './templates.js';

/** What a kind's handler makes of its payload when the message is due: the mail, or nothing to send. */
export type OutboxHandler = (payload: Record<string, unknown>) => Promise<Mail | null>;

@Injectable()
export class Outbox {
  private readonly handlers = new Map<string, OutboxHandler>();
  private readonly wakers = new Set<() => void>();

  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {
    this.handle('test', async (payload) => ({ to: String(payload.to), ...testMessage(Date.now()) }));
  }

  /**
   * Whether mail can be sent: with SMTP_URL, or in development, where messages are written to the
   * log instead. In production without SMTP_URL the flows that need mail are off.
   */
  get available(): boolean {
    return this.transport.enabled || this.config.nodeEnv !== 'production';
  }

  /** Refuses a flow that needs mail (503) when mail cannot be sent. */
  requireAvailable(): void {
    if (!this.available) throw mailUnavailable();
  }

  /** The handler that makes `kind`'s messages; each kind has one. */
  handle(kind: string, handler: OutboxHandler): void {
    this.handlers.set(kind, handler);
  }

  handlerFor(kind: string): OutboxHandler | undefined {
    return this.handlers.get(kind);
  }

  /**
   * A message, written with `manager` (in the caller's transaction, so it exists exactly when the
   * change does). Call `wake` once the transaction has committed, so that it leaves at once rather
   * than at the next poll. Where mail cannot be sent at all, nothing is written.
   */
  async add(manager: EntityManager, kind: string, payload: Record<string, unknown>): Promise<void> {
    if (!this.available) return;
    const now = Date.now();
    await manager.getRepository(OutboxMessage).insert({
      id: randomUUID(),
      kind,
      payload: JSON.stringify(payload),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
      createdAt: now,
      doneAt: null,
    });
  }

  /** Adds a message outside any other change, and wakes the worker. */
  async send(kind: string, payload: Record<string, unknown>): Promise<void> {
    await this.add(this.messages.manager, kind, payload);
    this.wake();
  }

  /** Tells the worker of this instance that messages are waiting. */
  wake(): void {
    for (const waker of this.wakers) waker();
  }

  onWake(waker: () => void): void {
    this.wakers.add(waker);
  }

  /** Queues every failed message again, from its first attempt; returns how many. */
  async retryFailed(): Promise<number> {
    const result = await this.messages.update({ status: 'failed' }, { status: 'pending', attempts: 0, nextAttemptAt: Date.now(), doneAt: null });
    return result.affected ?? 0;
  }

  /** Messages in `statuses`, oldest first, for operators (`npm run cli -- outbox`). */
  list(statuses: OutboxStatus[], limit = 100): Promise<OutboxMessage[]> {
    return this.messages.find({ where: { status: In(statuses) }, order: { createdAt: 'ASC' }, take: limit });
  }
}
