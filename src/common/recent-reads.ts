// A per-instance memory of recent database reads on the hot path (the user and the session behind
// every bearer token), kept at most `ttlMs`: one second (docs/architecture.md, "Caches and their
// bounds"), so a revocation or a password change made on another instance holds there within that
// second. Changes made on this instance forget the entry at once. Concurrent misses share one read;
// failed reads are not kept; the oldest entries go first beyond `maxEntries`.
/** How long a bearer token's user and session reads may be reused: the one second of that section. */
export const TOKEN_READS_TTL_MS = 1000;

export class RecentReads<K, V> {
  private readonly entries = new Map<K, { value: Promise<V>; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: K, read: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) return entry.value;
    if (entry) this.entries.delete(key);
    const value = read();
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key));
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    return value;
  }

  forget(key: K): void {
    this.entries.delete(key);
  }

  /** Forgets every entry whose value matches `predicate` (entries still being read go too). */
  async forgetWhere(predicate: (value: V) => boolean): Promise<void> {
    for (const [key, entry] of this.entries) {
      const value = await entry.value.catch(() => undefined);
      if (value === undefined || predicate(value)) this.entries.delete(key);
    }
  }
}
