// Bearer tokens whose signature, algorithm, issuer and audience have been verified once, with their
// claims. A client sends the same token on every request until it expires, and verifying it again
// can only give the same answer (the keys are fixed while the service runs), so a remembered token
// skips the signature check: only its time window is checked again, as jsonwebtoken checks it.
// Nothing else is skipped: the user, the session and the token version are read for every request
// (docs/architecture.md, "Tokens and sessions: the rules"), so a revoked token or a changed
// password still fail at once.
// Only tokens that passed every check are remembered; the oldest go first beyond `maxEntries`.

export type Claims = Record<string, unknown>;

interface Verified {
  claims: Readonly<Claims>;
  /** Seconds since the epoch: usable from `validFrom` (inclusive) to `validUntil` (exclusive). */
  validFrom: number;
  validUntil: number;
}

const nowInSeconds = () => Math.floor(Date.now() / 1000);

export class VerifiedTokens {
  private readonly entries = new Map<string, Verified>();

  constructor(
    private readonly clockToleranceSeconds: number,
    private readonly maxEntries = 4096,
    private readonly now = nowInSeconds,
  ) {}

  /** Remembers a verified token; one without a numeric `exp` (or with a non-numeric `nbf`) is not. */
  remember(token: string, claims: Claims): void {
    const { exp, nbf } = claims;
    if (typeof exp !== 'number' || (nbf !== undefined && typeof nbf !== 'number')) return;
    this.entries.delete(token);
    this.entries.set(token, {
      claims: Object.freeze({ ...claims }),
      validFrom: nbf === undefined ? -Infinity : nbf - this.clockToleranceSeconds,
      validUntil: exp + this.clockToleranceSeconds,
    });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The claims of a remembered token still within its time window; otherwise undefined. */
  claimsOf(token: string): Readonly<Claims> | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    const now = this.now();
    if (now >= entry.validFrom && now < entry.validUntil) return entry.claims;
    this.entries.delete(token);
    return undefined;
  }
}
