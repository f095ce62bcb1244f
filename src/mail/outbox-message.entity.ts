import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMilliseconds } from '../database/epoch-ms.js';

/**
 * What an outbox row is: `pending` until the worker sends it (`sent`), finds nothing to send
 * (`skipped`: a recovery request for an unknown address), gives up after OUTBOX_MAX_ATTEMPTS
 * (`failed`, kept for operators), or, with no SMTP_URL in development, writes it to the log
 * (`held`).
 */
export type OutboxStatus = 'pending' | 'sent' | 'skipped' | 'failed' | 'held';

/**
 * One message to send, written in the same transaction as the change that causes it. It holds what
 * the message is about (`kind` and `payload`), never a secret: a link's token is made when the
 * message is sent, so the table never holds a usable token.
 */
@Entity({ name: 'outbox' })
@Index('ix_outbox_due', ['status', 'nextAttemptAt'])
export class OutboxMessage {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  /** JSON. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 16 })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'bigint', transformer: epochMilliseconds })
  nextAttemptAt: number;

  /** The instance that claimed it, until `lease_until`: past that, another may (it died mid-send). */
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner: string | null;

  @Column({ name: 'lease_until', type: 'bigint', nullable: true, transformer: epochMilliseconds })
  leaseUntil: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMilliseconds })
  createdAt: number;

  @Column({ name: 'done_at', type: 'bigint', nullable: true, transformer: epochMilliseconds })
  doneAt: number | null;
}
