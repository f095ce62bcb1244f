// Every password hash and verification runs through this queue: at most HASH_CONCURRENCY at once
// (one argon2 verification at p=4 already keeps both cores of a small machine busy, and each holds
// 64 MiB), at most HASH_QUEUE_LIMIT waiting. The queue is fair between client addresses: each may
// have at most HASH_QUEUE_PER_ADDRESS waiting (beyond, 429 with Retry-After), and a free worker goes
// to the addresses in turn, so a flood from one address slows its own logins, not everyone's. A
// full queue answers 503 at once: a login storm slows logins down but cannot exhaust memory.
import { HttpStatus, Injectable } from '@nestjs/common';
import { HttpErrorWithHeaders } from '../common/http-error.js';
import { AppConfig } from '../config/app-config.js';

export const serverBusy = () => new HttpErrorWithHeaders(HttpStatus.SERVICE_UNAVAILABLE, { detail: 'Server busy' }, { 'Retry-After': '1' });

export const tooManyFromAddress = () =>
  new HttpErrorWithHeaders(HttpStatus.TOO_MANY_REQUESTS, { detail: 'Too many login attempts, try again later' }, { 'Retry-After': '1' });

/** Whose turn a hash is counted in when no client address asked for it (the admin CLI, start-up). */
export const INTERNAL = 'internal';

@Injectable()
export class HashQueue {
  private running = 0;
  private waitingCount = 0;
  /** Waiting jobs by address; the Map's order is the turn order (the address served last goes last). */
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly config: AppConfig) {}

  /** Hashes being computed now, and hashes waiting for a turn (for metrics). */
  get depth(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waitingCount };
  }

  /** Runs `work` when a worker is free and it is `who`'s turn (`who`: a rate-limit key of the client). */
  async run<T>(work: () => Promise<T>, who: string = INTERNAL): Promise<T> {
    if (this.running >= this.config.hashConcurrency) {
      const line = this.waiting.get(who) ?? [];
      if (line.length >= this.config.hashQueuePerAddress) throw tooManyFromAddress();
      if (this.waitingCount >= this.config.hashQueueLimit) throw serverBusy();
      this.waitingCount += 1;
      this.waiting.set(who, line);
      await new Promise<void>((resolve) => line.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      this.next();
    }
  }

  /** Hands the worker that just finished to the next address in turn, or frees it. */
  private next(): void {
    const entry = this.waiting.entries().next();
    if (entry.done) {
      this.running -= 1;
      return;
    }
    const [who, line] = entry.value;
    const resolve = line.shift()!;
    this.waitingCount -= 1;
    this.waiting.delete(who);
    if (line.length > 0) this.waiting.set(who, line);
    resolve();
  }
}
