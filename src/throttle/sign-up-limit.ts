// How many accounts one client address may open: SIGNUP_MAX_PER_ADDRESS in SIGNUP_WINDOW_SECONDS,
// counted with one atomic step each, so a burst of sign-ups sent at once cannot outrun it.
import { HttpStatus, Injectable } from '@nestjs/common';
import { HttpErrorWithHeaders, retryAfterSeconds } from '../common/http-error.js';
import { AppConfig } from '../config/app-config.js';
import { counterKeyOf } from './client-address.js';
import { CounterStore } from './counter-store.js';

export const TOO_MANY_SIGNUPS = 'Too many sign-ups, try again later';

/** The 429 of a sign-up past the limit, with the wait until its window ends. */
export const tooManySignUps = (retryAfterMs: number) =>
  new HttpErrorWithHeaders(HttpStatus.TOO_MANY_REQUESTS, { detail: TOO_MANY_SIGNUPS }, { 'Retry-After': String(retryAfterSeconds(retryAfterMs)) });

@Injectable()
export class SignUpLimit {
  constructor(
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {}

  /** Counts a sign-up from `address`; refuses it past SIGNUP_MAX_PER_ADDRESS in the window. */
  async count(address: string | null): Promise<void> {
    const counter = await this.counters.increment(`signup:${counterKeyOf(address)}`, this.config.signupWindowSeconds * 1000);
    if (counter.count > this.config.signupMaxPerAddress) throw tooManySignUps(counter.resetAt - Date.now());
  }
}
