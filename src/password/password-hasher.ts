// Where passwords are hashed and checked. New hashes are argon2id with the tutorial's parameters,
// written in the PHC parameter order Python's argon2-cffi reads (m, t, p), so a database can move
// between this service and the FastAPI tutorial in either direction. Hashes imported from other
// stacks (argon2 with other parameters, bcrypt, passlib's and Django's pbkdf2_sha256) still verify,
// within bounds that keep one hash from taking the server down, and are re-hashed after a login.
// A failed verification answers no sooner than LOGIN_FAILURE_MIN_MS after it began, whatever the
// stored hash (or none, for an unknown user): imported users cannot be told apart by timing.
import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Injectable, Logger, Optional } from '@nestjs/common';
import argon2 from 'argon2';
import bcrypt from 'bcrypt';
import { AppConfig } from '../config/app-config.js';
import { rateLimitKey } from '../throttle/client-address.js';
import { HashQueue, INTERNAL } from './hash-queue.js';

export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 65536,
  timeCost: 3,
  parallelism: 4,
} as const;

/** What a hash of the current format and parameters starts with. */
const CURRENT_PREFIX = `$argon2id$v=19$m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=${ARGON2_OPTIONS.parallelism}$`;

/** Beyond these, a stored hash is refused unverified: checking it would cost too much. */
export const LIMITS = { argon2MemoryKiB: 256 * 1024, argon2Time: 10, argon2Parallelism: 16, bcryptCost: 16, pbkdf2Iterations: 2_000_000 };

/**
 * Verified when the username is unknown, so that an unknown user costs as much as a wrong
 * password (same parameters as real hashes; the password behind it was random and discarded).
 */
const DUMMY_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$Dgn7eILApPJa+bsy2Ln+0w$YlcmntiGsviwdR0sCVBtFpWtZmnk3oG6vTT1k1rCdyA';

const ARGON2 = /^\$argon2(id|i)\$v=19\$([a-z]=\d+(?:,[a-z]=\d+)*)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const PASSLIB_PBKDF2 = /^\$pbkdf2-sha256\$(\d+)\$([./A-Za-z0-9]*)\$([./A-Za-z0-9]{43})$/;
const DJANGO_PBKDF2 = /^pbkdf2_sha256\$(\d+)\$([^$]+)\$([A-Za-z0-9+/]{43}=)$/;

const pbkdf2Async = promisify(pbkdf2);

/** Rewrites `$argon2id$v=19$m=…,p=…,t=…$…` into the `m,t,p` order argon2-cffi accepts. */
export function toPythonParameterOrder(phc: string): string {
  const parts = phc.split('$');
  const params = new Map(parts[3].split(',').map((pair) => pair.split('=') as [string, string]));
  parts[3] = ['m', 't', 'p'].map((name) => `${name}=${params.get(name)}`).join(',');
  return parts.join('$');
}

/** passlib's "adapted base64": `.` for `+`, no padding. */
function fromAdaptedBase64(value: string): Buffer {
  return Buffer.from(value.replace(/\./g, '+'), 'base64');
}

async function pbkdf2Matches(password: string, salt: Buffer, iterations: number, expected: Buffer): Promise<boolean> {
  if (iterations < 1 || iterations > LIMITS.pbkdf2Iterations || expected.length !== 32) return false;
  const derived = await pbkdf2Async(password, salt, iterations, 32, 'sha256');
  return timingSafeEqual(derived, expected);
}

function argon2WithinLimits(params: string): boolean {
  const values = new Map(params.split(',').map((pair) => pair.split('=') as [string, string]));
  const [m, t, p] = ['m', 't', 'p'].map((name) => Number(values.get(name)));
  return m <= LIMITS.argon2MemoryKiB && t <= LIMITS.argon2Time && p <= LIMITS.argon2Parallelism;
}

/** How often, at most, the log says that a failed verification outlasted LOGIN_FAILURE_MIN_MS. */
const SLOW_FAILURE_WARNING_EVERY_MS = 60_000;

@Injectable()
export class PasswordHasher {
  private readonly logger = new Logger(PasswordHasher.name);
  private lastSlowFailureWarning = -Infinity;

  constructor(
    @Optional() private readonly queue?: HashQueue,
    @Optional() private readonly config?: AppConfig,
  ) {}

  /** A new hash of `password`, computed in the turn of the client at `address` (none: the service's own). */
  async hash(password: string, address?: string | null): Promise<string> {
    return toPythonParameterOrder(await this.queued(() => argon2.hash(password, ARGON2_OPTIONS), address));
  }

  /** True when `password` matches `hash`; false for a mismatch, or a hash unreadable or too costly. */
  async verify(hash: string, password: string, address?: string | null): Promise<boolean> {
    let began = 0;
    const matched = await this.queued(async () => {
      began = performance.now();
      try {
        return await this.verifyKnownFormat(hash, password);
      } catch {
        return false;
      }
    }, address);
    if (!matched) await this.failureTakesMinimumTime(began);
    return matched;
  }

  /** True when `hash` is in a format this service can verify (whatever its parameters). */
  recognises(hash: string): boolean {
    return [ARGON2, BCRYPT, PASSLIB_PBKDF2, DJANGO_PBKDF2].some((format) => format.test(hash));
  }

  /** True when `hash` is not argon2id with the current parameters, written as Python reads it. */
  needsRehash(hash: string): boolean {
    return !hash.startsWith(CURRENT_PREFIX);
  }

  /** Spends the time of a failed verification, for a user that does not exist. */
  async verifyDummy(password: string, address?: string | null): Promise<void> {
    let began = 0;
    await this.queued(() => {
      began = performance.now();
      return argon2.verify(DUMMY_HASH, password);
    }, address);
    await this.failureTakesMinimumTime(began);
  }

  /**
   * Waits out the rest of LOGIN_FAILURE_MIN_MS from the verification's start (the time waited in
   * the queue is the same whatever the hash, so it is left out). The wait holds no worker.
   */
  private async failureTakesMinimumTime(began: number): Promise<void> {
    const minimum = this.config?.loginFailureMinMs ?? 0;
    const elapsed = performance.now() - began;
    if (elapsed < minimum) {
      await sleep(minimum - elapsed);
    } else if (minimum > 0 && performance.now() - this.lastSlowFailureWarning > SLOW_FAILURE_WARNING_EVERY_MS) {
      this.lastSlowFailureWarning = performance.now();
      this.logger.warn(
        `A failed password verification took ${Math.round(elapsed)} ms, more than LOGIN_FAILURE_MIN_MS (${minimum}): ` +
          'raise it above the slowest stored hash, or failures can be told apart by timing',
      );
    }
  }

  /** `work` in the hashing queue, in the turn of the address's rate-limit key. */
  private queued<T>(work: () => Promise<T>, address: string | null | undefined): Promise<T> {
    return this.queue ? this.queue.run(work, address ? rateLimitKey(address) : INTERNAL) : work();
  }

  private async verifyKnownFormat(hash: string, password: string): Promise<boolean> {
    const argon = ARGON2.exec(hash);
    if (argon) return argon2WithinLimits(argon[2]) && argon2.verify(hash, password);
    const bcryptMatch = BCRYPT.exec(hash);
    if (bcryptMatch) return Number(bcryptMatch[1]) <= LIMITS.bcryptCost && bcrypt.compare(password, hash);
    const passlib = PASSLIB_PBKDF2.exec(hash);
    if (passlib) return pbkdf2Matches(password, fromAdaptedBase64(passlib[2]), Number(passlib[1]), fromAdaptedBase64(passlib[3]));
    const django = DJANGO_PBKDF2.exec(hash);
    if (django) return pbkdf2Matches(password, Buffer.from(django[2], 'utf8'), Number(django[1]), Buffer.from(django[3], 'base64'));
    return false;
  }
}
