// Every password hash and verification runs through this queue: at most HASH_CONCURRENCY at once
// (one argon2 verification at p=4 already keeps both cores of a small machine busy, and each holds
// 64 MiB), at most HASH_QUEUE_LIMIT waiting. The queue is fair between client addresses: each may
// have at most HASH_QUEUE_PER_ADDRESS waiting (beyond, 429 with Retry-After), and a free worker goes
// to the waiting address served least recently, so a flood from one address slows its own logins,
// not everyone's: a bystander waits for one hash to finish, not for the flood's line. A full queue
// answers 503 at once: a login storm slows logins down but cannot exhaust memory.
import { HttpStatus, Injectable } from '@nestjs/common';
import { HttpErrorWithHeaders } from '../common/http-error.js';
import { AppConfig } from '../config/app-config.js';
import { TOO_MANY_CHECKS } from '../throttle/login-throttle.js';

export const serverBusy = () => new HttpErrorWithHeaders(HttpStatus.SERVICE_UNAVAILABLE, { detail: 'Server busy' }, { 'Retry-After': '1' });

export const tooManyFromAddress = () =>
  new HttpErrorWithHeaders(HttpStatus.TOO_MANY_REQUESTS, { detail: TOO_MANY_CHECKS }, { 'Retry-After': '1' });

/** Whose turn a hash is counted in when no client address asked for it (the admin CLI, start-up). */
export const INTERNAL = 'internal';

/** Addresses whose last turn is remembered; beyond, the longest ago is forgotten (as if never served). */
const REMEMBERED_ADDRESSES = 4096;

@Injectable()
export class HashQueue {
  private running = 0;
  private waitingCount = 0;
  /** Waiting jobs by address, in the order each address first had one waiting. */
  private readonly waiting = new Map<string, (() => void)[]>();
  /** When each address last got a worker, least recent first. */
  private readonly lastServed = new Map<string, number>();
  private turns = 0;

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
      this.served(who);
    }
    try {
      return await work();
    } finally {
      this.next();
    }
  }

  /** Hands the worker that just finished to the waiting address served least recently, or frees it. */
  private next(): void {
    let chosen: string | undefined;
    let chosenTurn = Infinity;
    for (const who of this.waiting.keys()) {
      const turn = this.lastServed.get(who) ?? -1;
      if (turn < chosenTurn) [chosen, chosenTurn] = [who, turn];
    }
    if (chosen === undefined) {
      this.running -= 1;
      return;
    }
    const line = this.waiting.get(chosen)!;
    const resolve = line.shift()!;
    this.waitingCount -= 1;
    if (line.length === 0) this.waiting.delete(chosen);
    this.served(chosen);
    resolve();
  }

  private served(who: string): void {
    this.lastServed.delete(who);
    this.lastServed.set(who, ++this.turns);
    if (this.lastServed.size > REMEMBERED_ADDRESSES) this.lastServed.delete(this.lastServed.keys().next().value!);
  }
}
