// Brute-force defence at login (and wherever a password is re-entered):
// - per (username, address): LOGIN_MAX_FAILURES failures in LOGIN_WINDOW_SECONDS → 429 until the
//   window ends, even for the right password; a success clears only this counter;
// - per username, from any address: a delay that doubles with each failure past the limit, capped
//   at LOGIN_DELAY_MAX_MS: never a lock, so nobody can lock a stranger out;
// - per address, across usernames: LOGIN_ADDRESS_MAX_FAILURES in the window → 429 (password spraying).
// Unknown usernames are counted exactly like real ones. Sign-ups have a per-address rate of their own.
import { HttpStatus, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpErrorWithHeaders } from '../common/http-error.js';
import { AppConfig } from '../config/app-config.js';
import { usernameKey } from '../users/username.js';
import { rateLimitKey } from './client-address.js';
import { CounterStore, type Counter } from './counter-store.js';

const FIRST_DELAY_MS = 250;

function tooMany(detail: string, counter: Counter): HttpErrorWithHeaders {
  const seconds = Math.max(1, Math.ceil((counter.resetAt - Date.now()) / 1000));
  return new HttpErrorWithHeaders(HttpStatus.TOO_MANY_REQUESTS, { detail }, { 'Retry-After': String(seconds) });
}

@Injectable()
export class LoginThrottle {
  constructor(
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {}

  private get windowMs(): number {
    return this.config.loginWindowSeconds * 1000;
  }

  private keys(username: string, address: string | null) {
    const name = usernameKey(username);
    const client = rateLimitKey(address);
    return { pair: `login:pair:${name}:${client}`, user: `login:user:${name}`, address: `login:addr:${client}` };
  }

  /** Before a password is checked: refuses a blocked pair or address, and slows down a targeted name. */
  async beforeAttempt(username: string, address: string | null): Promise<void> {
    const keys = this.keys(username, address);
    const [pair, client, user] = await Promise.all([keys.pair, keys.address, keys.user].map((key) => this.counters.peek(key)));
    if (pair && pair.count >= this.config.loginMaxFailures) throw tooMany('Too many failed login attempts', pair);
    if (client && client.count >= this.config.loginAddressMaxFailures) throw tooMany('Too many failed login attempts', client);
    const excess = (user?.count ?? 0) - this.config.loginMaxFailures;
    if (excess >= 0) await sleep(Math.min(FIRST_DELAY_MS * 2 ** excess, this.config.loginDelayMaxMs));
  }

  async failed(username: string, address: string | null): Promise<void> {
    const keys = this.keys(username, address);
    await Promise.all([keys.pair, keys.user, keys.address].map((key) => this.counters.increment(key, this.windowMs)));
  }

  async succeeded(username: string, address: string | null): Promise<void> {
    await this.counters.reset(this.keys(username, address).pair);
  }

  /** Counts a sign-up from `address`; refuses it past SIGNUP_MAX_PER_ADDRESS in the window. */
  async signUp(address: string | null): Promise<void> {
    const key = `signup:${rateLimitKey(address)}`;
    const counter = await this.counters.peek(key);
    if (counter && counter.count >= this.config.signupMaxPerAddress) throw tooMany('Too many sign-ups, try again later', counter);
    await this.counters.increment(key, this.config.signupWindowSeconds * 1000);
  }
}
