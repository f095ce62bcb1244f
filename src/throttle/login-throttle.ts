// Brute-force defence at login (and wherever a password is re-entered). Every limit is counted
// before the password is checked, with one atomic step each, and refunded when the check succeeds,
// so a burst of concurrent guesses cannot outrun it:
// - per client address: PASSWORD_CHECKS_PER_ADDRESS checks (successes too) in
//   PASSWORD_CHECKS_WINDOW_SECONDS: the hashing an address may ask for;
// - per address, across accounts: LOGIN_ADDRESS_MAX_FAILURES failures in the window (spraying);
// - per (account, address): LOGIN_MAX_FAILURES failures, then 429 even for the right password;
// - per account, from any address: past LOGIN_MAX_FAILURES failures, one check at a time, each
//   further failure doubling the wait before the next one (250 ms up to LOGIN_DELAY_MAX_MS); sooner
//   is a 429, not a sleep. An address that logged in as the account within the window is exempt,
//   so a stranger can slow the guessing, never the owner's own login.
// Limits are keyed by the account a name resolves to, and an unknown name by its normalised form,
// counted exactly like a real one. Keys hold hashes, never the names.
import { HttpStatus, Injectable } from '@nestjs/common';
import { HttpErrorWithHeaders, retryAfterSeconds } from '../common/http-error.js';
import { AppConfig } from '../config/app-config.js';
import { usernameKey } from '../users/username.js';
import { counterKeyOf, digest } from './client-address.js';
import { CounterStore } from './counter-store.js';

const FIRST_DELAY_MS = 250;
/** How long a check may hold its account's gate: past this a crashed check no longer blocks it. */
const CHECK_HOLD_MS = 10_000;

export const TOO_MANY_FAILURES = 'Too many failed login attempts';
export const TOO_MANY_CHECKS = 'Too many login attempts, try again later';

/** A 429 from a login limit (audited as a lock-out by the caller). */
export class LoginRefused extends HttpErrorWithHeaders {
  constructor(detail: string, retryAfterMs: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, { detail }, { 'Retry-After': String(retryAfterSeconds(retryAfterMs)) });
  }
}

/** The 429s a password check past a limit answers, by case (as documented, with a wait of a minute). */
export const PASSWORD_CHECK_REFUSALS = {
  too_many_failures: new LoginRefused(TOO_MANY_FAILURES, 60_000),
  too_many_checks: new LoginRefused(TOO_MANY_CHECKS, 60_000),
};

/** Whose password is checked: the account a name resolved to, or the name itself when it is unknown. */
export type LoginSubject = { accountId: string; name?: string } | { accountId?: string; name: string };

/** What one check was counted against, so that its outcome can settle exactly that. */
interface Ticket {
  keys: { checks: string; address: string; pair: string; account: string; gate: string; known: string };
  refundable: string[];
  gateHeld: boolean;
  accountFailures: number;
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

  /**
   * Runs `verify` (the password check) within the limits: 429 without running it when a limit is
   * reached; its answer otherwise, counted as a failure or refunded as a success.
   */
  async check(subject: LoginSubject, address: string | null, verify: () => Promise<boolean>): Promise<boolean> {
    const ticket = await this.admit(subject, address);
    let matched: boolean;
    try {
      matched = await verify();
    } catch (error) {
      // Not checked after all (the hashing queue was full, say): nothing to count.
      await Promise.all([this.refund(ticket), this.counters.decrement(ticket.keys.checks)]);
      throw error;
    }
    if (matched) await this.succeeded(ticket);
    else await this.failed(ticket);
    return matched;
  }

  /**
   * The 429 `address` would get at its next password check whatever the account, if it is already
   * past a per-address limit: lets a flood be refused before its requests cost anything more. A
   * plain answer rather than an exception, which would capture a stack for every request of a flood.
   */
  async refusalForAddress(address: string | null): Promise<{ detail: string; retryAfterSeconds: number } | undefined> {
    const client = counterKeyOf(address);
    const [checks, failures] = await Promise.all([this.counters.peek(`checks:${client}`), this.counters.peek(`fail:addr:${client}`)]);
    const refusal = (detail: string, resetAt: number) => ({ detail, retryAfterSeconds: retryAfterSeconds(resetAt - Date.now()) });
    if (checks && checks.count >= this.config.passwordChecksPerAddress) return refusal(TOO_MANY_CHECKS, checks.resetAt);
    if (failures && failures.count >= this.config.loginAddressMaxFailures) return refusal(TOO_MANY_FAILURES, failures.resetAt);
    return undefined;
  }


  private async admit(subject: LoginSubject, address: string | null): Promise<Ticket> {
    const client = counterKeyOf(address);
    const account = subject.accountId ? `id:${subject.accountId}` : `name:${digest(usernameKey(subject.name!))}`;
    const checksKey = `checks:${client}`;
    const checks = await this.counters.increment(checksKey, this.config.passwordChecksWindowSeconds * 1000);
    if (checks.count > this.config.passwordChecksPerAddress) throw new LoginRefused(TOO_MANY_CHECKS, checks.resetAt - Date.now());

    const ticket: Ticket = {
      keys: {
        checks: checksKey,
        address: `fail:addr:${client}`,
        pair: `fail:pair:${account}:${client}`,
        account: `fail:acct:${account}`,
        gate: `gate:${account}`,
        known: `known:${account}:${client}`,
      },
      refundable: [],
      gateHeld: false,
      accountFailures: 0,
    };
    const { keys } = ticket;
    try {
      await this.count(ticket, keys.address, this.config.loginAddressMaxFailures);
      await this.count(ticket, keys.pair, this.config.loginMaxFailures);
      if (!(await this.counters.peek(keys.known))) {
        ticket.accountFailures = (await this.counters.increment(keys.account, this.windowMs)).count;
        ticket.refundable.push(keys.account);
        if (ticket.accountFailures > this.config.loginMaxFailures) {
          const waitMs = await this.counters.acquire(keys.gate, CHECK_HOLD_MS);
          if (waitMs > 0) throw new LoginRefused(TOO_MANY_FAILURES, waitMs);
          ticket.gateHeld = true;
        }
      }
    } catch (error) {
      await this.refund(ticket);
      throw error;
    }
    return ticket;
  }

  /** Counts one attempt against `key`; past `limit`, refuses it until the window ends. */
  private async count(ticket: Ticket, key: string, limit: number): Promise<void> {
    const counter = await this.counters.increment(key, this.windowMs);
    ticket.refundable.push(key);
    if (counter.count > limit) throw new LoginRefused(TOO_MANY_FAILURES, counter.resetAt - Date.now());
  }

  private async refund(ticket: Ticket): Promise<void> {
    await Promise.all(ticket.refundable.map((key) => this.counters.decrement(key)));
    if (ticket.gateHeld) await this.counters.hold(ticket.keys.gate, 0);
  }

  private async failed(ticket: Ticket): Promise<void> {
    if (!ticket.gateHeld) return;
    const excess = ticket.accountFailures - this.config.loginMaxFailures - 1;
    await this.counters.hold(ticket.keys.gate, Math.min(FIRST_DELAY_MS * 2 ** excess, this.config.loginDelayMaxMs));
  }

  private async succeeded(ticket: Ticket): Promise<void> {
    const { keys } = ticket;
    await Promise.all([
      this.counters.reset(keys.pair),
      ...ticket.refundable.filter((key) => key !== keys.pair).map((key) => this.counters.decrement(key)),
      this.counters.hold(keys.known, this.windowMs),
      ticket.gateHeld ? this.counters.hold(keys.gate, 0) : undefined,
    ]);
  }
}
