// How often one OAuth2 client may introspect tokens: INTROSPECT_MAX_PER_CLIENT in
// INTROSPECT_WINDOW_SECONDS, counted with one atomic step each (shared through Redis when set).
import { HttpStatus, Injectable } from '@nestjs/common';
import { HttpErrorWithHeaders, retryAfterSeconds } from '../common/http-error.js';
import { AppConfig } from '../config/app-config.js';
import { CounterStore } from './counter-store.js';

export const TOO_MANY_INTROSPECTIONS = 'Too many introspection requests, try again later';

/** The 429 of an introspection past the limit, with the wait until its window ends. */
export const tooManyIntrospections = (retryAfterMs: number) =>
  new HttpErrorWithHeaders(
    HttpStatus.TOO_MANY_REQUESTS,
    { detail: TOO_MANY_INTROSPECTIONS },
    { 'Retry-After': String(retryAfterSeconds(retryAfterMs)) },
  );

@Injectable()
export class IntrospectLimit {
  constructor(
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {}

  /** Counts an introspection by `clientId` (authenticated); refuses it past the limit. */
  async count(clientId: string): Promise<void> {
    const counter = await this.counters.increment(`introspect:${clientId}`, this.config.introspectWindowSeconds * 1000);
    if (counter.count > this.config.introspectMaxPerClient) throw tooManyIntrospections(counter.resetAt - Date.now());
  }
}
