// Every password hash and verification runs through this queue: at most HASH_CONCURRENCY at once
// (one argon2 verification at p=4 already keeps both cores of a small machine busy, and each holds
// 64 MiB), at most HASH_QUEUE_LIMIT waiting. A full queue answers 503 at once, so a login storm
// slows logins down but cannot starve every other request or exhaust memory.
import { HttpStatus, Injectable } from '@nestjs/common';
import { HttpErrorWithHeaders } from '../common/http-error.js';
import { AppConfig } from '../config/app-config.js';

export const serverBusy = () => new HttpErrorWithHeaders(HttpStatus.SERVICE_UNAVAILABLE, { detail: 'Server busy' }, { 'Retry-After': '1' });

@Injectable()
export class HashQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly config: AppConfig) {}

  /** Hashes being computed now, and hashes waiting for a turn (for metrics). */
  get depth(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.config.hashConcurrency) {
      if (this.waiting.length >= this.config.hashQueueLimit) throw serverBusy();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
