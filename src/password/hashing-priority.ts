// Password hashing runs on libuv's worker threads (and on the threads argon2 starts from them, which
// inherit their priority); requests run on the main thread. On Linux the scheduling priority
// ("nice") belongs to each thread, so lowering every thread but the main one lets a login storm
// use the CPU that requests leave instead of taking it from them: requests stay fast, and logins
// still get every idle cycle. HASH_NICE=0 turns this off; other systems are left as they are.
import { randomFill } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { promisify } from 'node:util';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/** Sets `nice` on every thread of this process but the main one; returns how many it changed. */
export function lowerOtherThreads(nice: number): number {
  let changed = 0;
  for (const task of readdirSync('/proc/self/task')) {
    const tid = Number(task);
    if (tid === process.pid) continue;
    try {
      setPriority(tid, nice);
      changed += 1;
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return changed;
}

@Injectable()
export class HashingPriority implements OnApplicationBootstrap {
  private readonly logger = new Logger(HashingPriority.name);

  constructor(private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.hashNice === 0 || process.platform !== 'linux') return;
    // libuv starts all its worker threads with the first job given to them: a one-byte random fill
    // does it, without the 100 ms of a password verification before the first request.
    await promisify(randomFill)(Buffer.alloc(1));
    const changed = lowerOtherThreads(this.config.hashNice);
    this.logger.log(`Password hashing runs at nice ${this.config.hashNice} (${changed} threads), requests at normal priority`);
  }
}
