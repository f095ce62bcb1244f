// The keys tokens are signed and verified with (docs/architecture.md, "Signing keys").
//
// HS256 (the tutorial's): SECRET_KEY signs, it and PREVIOUS_SECRET_KEYS verify, nothing is published.
// ES256 / RS256: key pairs in the `signing_keys` table, shared by every instance, private halves
// encrypted under SECRET_KEY. Each instance reloads the table every `reloadMs`, and at once (at most
// once a second) when a token names a `kid` it does not know yet. A key rotated in is published at
// once and signs only `publishLeadMs` later, when every instance has loaded it and every cache of
// the published set made before it has expired; a key rotated out stays published until the last
// token it may have signed has expired. Without SECRET_KEY (development) the key pair is made at
// start-up and kept in memory only: a key encrypted under a random secret could not be read again.
import { createPrivateKey, createPublicKey, createSecretKey, createHash, type KeyObject } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, ConfigError, type JwtAlgorithm } from '../config/app-config.js';
import { decryptPrivateKey } from './key-encryption.js';
import type { PublicJwk } from './jwk.js';
import type { SigningKey } from './signing-key.entity.js';
import { SigningKeyStore } from './signing-key-store.js';

/** The key a new token is signed with, and the `kid` its header names. */
export interface KeyToSignWith {
  readonly kid: string;
  readonly key: KeyObject;
}

/** A key's `kid` under HS256: a digest prefix, which says nothing about the secret. */
export function secretKeyId(secret: string): string {
  return createHash('sha256').update(`kid:${secret}`, 'utf8').digest('base64url').slice(0, 16);
}

export function secretKeyObject(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** One key of the asymmetric set, as this instance holds it. */
interface LoadedKey {
  readonly kid: string;
  readonly jwk: PublicJwk;
  readonly publicKey: KeyObject;
  /** Decrypted only for the keys that sign now or will. */
  readonly privateKey: KeyObject | undefined;
  readonly signsFrom: number;
  /** Published (and accepted) until then; Infinity while no later key has taken over. */
  readonly publishedUntil: number;
}

const UNKNOWN_KID_RELOAD_MS = 1000;

@Injectable()
export class SigningKeys implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SigningKeys');
  readonly algorithm: JwtAlgorithm;
  /** HS256: the secrets by `kid`. */
  private readonly secrets = new Map<string, KeyObject>();
  /** HS256: SECRET_KEY, which signs every token and verifies those without `kid`. */
  private readonly currentSecret: KeyToSignWith | undefined;
  /** ES256 / RS256: the published keys, newest first, replaced whole at each reload. */
  private keys: readonly LoadedKey[] = [];
  private reloadTimer: NodeJS.Timeout | undefined;
  private lastUnknownKidReload = 0;
  private reloading: Promise<void> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly store: SigningKeyStore,
  ) {
    this.algorithm = config.jwtAlgorithm;
    if (this.algorithm === 'HS256') {
      for (const secret of [config.secretKey, ...config.previousSecretKeys]) this.secrets.set(secretKeyId(secret), secretKeyObject(secret));
      const kid = secretKeyId(config.secretKey);
      this.currentSecret = { kid, key: this.secrets.get(kid)! };
    }
  }

  get asymmetric(): boolean {
    return this.algorithm !== 'HS256';
  }

  /** Keys live only in memory: no SECRET_KEY to encrypt them under. */
  private get inMemoryOnly(): boolean {
    return this.config.secretKeyGenerated;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.asymmetric) return;
    if (this.inMemoryOnly) {
      this.keys = [await this.loaded(await this.store.newKey(Date.now(), { inMemoryOnly: true }), true)];
      this.logger.warn('SECRET_KEY is not set: the signing key lives in memory only, and tokens will not survive a restart');
      return;
    }
    await this.reload(true);
    if (!this.keys.some((key) => key.privateKey && key.signsFrom <= Date.now())) {
      // The first start with this algorithm: nothing has cached a key set yet, so the key signs at once.
      await this.store.add(Date.now());
      await this.reload(true);
    }
    this.reloadTimer = setInterval(() => void this.reloadQuietly(), this.store.reloadMs).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.reloadTimer);
  }

  /** The key a token signed now gets. */
  keyToSignWith(): KeyToSignWith {
    if (this.currentSecret) return this.currentSecret;
    const now = Date.now();
    const key = this.keys.find((candidate) => candidate.privateKey && candidate.signsFrom <= now);
    if (!key) throw new Error('No signing key is loaded');
    return { kid: key.kid, key: key.privateKey! };
  }

  /**
   * The key that verifies tokens naming `kid`; undefined for a key not published (never, or no
   * longer). A token without `kid` is one the Python tutorial may have signed with SECRET_KEY: under
   * HS256 the current secret verifies it; under ES256 and RS256 nothing does.
   */
  verificationKey(kid: string | undefined): KeyObject | undefined {
    if (this.currentSecret) return kid === undefined ? this.currentSecret.key : this.secrets.get(kid);
    if (kid === undefined) return undefined;
    const now = Date.now();
    return this.keys.find((key) => key.kid === kid && key.publishedUntil > now)?.publicKey;
  }

  /**
   * As `verificationKey`, but a `kid` not known here makes this instance read the key table first
   * (at most once a second), for a key another instance made a moment ago.
   */
  async findVerificationKey(kid: string | undefined): Promise<KeyObject | undefined> {
    const key = this.verificationKey(kid);
    if (key || !this.asymmetric || this.inMemoryOnly || kid === undefined) return key;
    if (Date.now() - this.lastUnknownKidReload >= UNKNOWN_KID_RELOAD_MS) {
      this.lastUnknownKidReload = Date.now();
      await this.reloadQuietly();
    }
    return this.verificationKey(kid);
  }

  /** The JWK Set: every public key that may have signed a token still live. Empty under HS256. */
  publishedKeys(): PublicJwk[] {
    const now = Date.now();
    return this.keys.filter((key) => key.publishedUntil > now).map((key) => ({ ...key.jwk }));
  }

  private async reload(starting: boolean): Promise<void> {
    const rows = await this.store.rows();
    const now = Date.now();
    const live = this.store.lifetimes(rows).filter(({ publishedUntil }) => publishedUntil > now);
    // Private halves are needed for the key signing now (the newest started) and those to come.
    const newestStarted = live.find(({ row }) => row.signsFrom <= now)?.row.signsFrom ?? -Infinity;
    const loaded: LoadedKey[] = [];
    for (const { row, publishedUntil } of live) {
      const signs = row.signsFrom >= newestStarted;
      const known = this.keys.find((key) => key.kid === row.kid);
      loaded.push(known && (known.privateKey || !signs) ? { ...known, publishedUntil } : await this.loaded(row, signs, publishedUntil, starting));
    }
    this.keys = loaded;
  }

  private async reloadQuietly(): Promise<void> {
    this.reloading ??= this.reload(false)
      .catch((error: Error) => this.logger.warn(`Reading the signing keys failed, keeping the ones loaded: ${error.message}`))
      .finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async loaded(row: SigningKey, signs: boolean, publishedUntil = Infinity, starting = true): Promise<LoadedKey> {
    const jwk = JSON.parse(row.publicJwk) as PublicJwk;
    const publicKey = createPublicKey({ key: { ...jwk }, format: 'jwk' });
    const pem = signs ? (this.inMemoryOnly ? row.privateKey : await this.decrypted(row, starting)) : undefined;
    return { kid: row.kid, jwk, publicKey, privateKey: pem === undefined ? undefined : createPrivateKey(pem), signsFrom: row.signsFrom, publishedUntil };
  }

  /**
   * The private key's PEM, decrypted with SECRET_KEY or, during its rotation, a previous key (and
   * then stored again under SECRET_KEY). A key none of them opens stops start-up; found later, it is
   * left unused and reported.
   */
  private async decrypted(row: SigningKey, starting: boolean): Promise<string | undefined> {
    const current = decryptPrivateKey(row.privateKey, row.kid, this.config.secretKey);
    if (current !== undefined) return current;
    for (const previous of this.config.previousSecretKeys) {
      const pem = decryptPrivateKey(row.privateKey, row.kid, previous);
      if (pem === undefined) continue;
      await this.store.reseal(row.kid, pem);
      return pem;
    }
    const problem = `signing key ${row.kid} cannot be decrypted with SECRET_KEY or PREVIOUS_SECRET_KEYS: set the key it was made under as SECRET_KEY or in PREVIOUS_SECRET_KEYS`;
    if (starting) throw new ConfigError(problem);
    this.logger.error(problem);
    return undefined;
  }
}
