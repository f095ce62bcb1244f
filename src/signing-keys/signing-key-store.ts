// The `signing_keys` table: keys added, rotated, sealed under SECRET_KEY, and how long each stays
// published. Used by SigningKeys in the service and by `rotate-signing-key` in the CLI.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { AppConfig, ConfigError, type JwtAlgorithm } from '../config/app-config.js';
import { encryptPrivateKey } from './key-encryption.js';
import { generateSigningKeyPair, publicJwkOf, type AsymmetricAlgorithm } from './jwk.js';
import { SigningKey } from './signing-key.entity.js';

/** How far clocks may drift between machines: `nbf`, `iat` and `exp` are checked with this leeway. */
export const CLOCK_TOLERANCE_SECONDS = 30;

@Injectable()
export class SigningKeyStore {
  readonly algorithm: JwtAlgorithm;
  /** How often every instance reads the key table again. */
  readonly reloadMs: number;
  /** How long a rotated-in key is published before it signs. */
  readonly publishLeadMs: number;

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(SigningKey) private readonly table: Repository<SigningKey>,
  ) {
    this.algorithm = config.jwtAlgorithm;
    this.reloadMs = Math.min(60, Math.max(1, Math.floor(config.jwksMaxAgeSeconds / 2))) * 1000;
    this.publishLeadMs = config.jwksMaxAgeSeconds * 1000 + this.reloadMs;
  }

  /**
   * Adds a key that signs once `publishLeadMs` has passed (`rotate-signing-key`), and deletes the
   * keys no longer published. Several instances may be running: each picks the key up at its next
   * reload, well before it signs.
   */
  async rotate(): Promise<{ kid: string; signsFrom: number; removed: string[] }> {
    if (this.algorithm === 'HS256') throw new ConfigError('JWT_ALGORITHM is HS256, which signs with SECRET_KEY: rotate SECRET_KEY instead (docs/operations.md)');
    if (this.config.secretKeyGenerated) throw new ConfigError('SECRET_KEY is not set, so signing keys cannot be stored: set it first');
    const key = await this.add(Date.now() + this.publishLeadMs);
    const rows = await this.rows();
    const now = Date.now();
    const removed = this.lifetimes(rows)
      .filter(({ publishedUntil }) => publishedUntil <= now)
      .map(({ row }) => row.kid);
    if (removed.length > 0) await this.table.delete({ kid: In(removed) });
    return { kid: key.kid, signsFrom: key.signsFrom, removed };
  }

  /** Stores a new key that signs from `signsFrom`. */
  async add(signsFrom: number): Promise<SigningKey> {
    const key = await this.newKey(signsFrom);
    await this.table.insert(key);
    return key;
  }

  /** Every stored key of the configured algorithm. */
  rows(): Promise<SigningKey[]> {
    return this.table.find({ where: { algorithm: this.algorithm } });
  }

  /** Stores `pem` again, encrypted under the current SECRET_KEY. */
  async reseal(kid: string, pem: string): Promise<void> {
    await this.table.update({ kid }, { privateKey: encryptPrivateKey(pem, kid, this.config.secretKey) });
  }

  /** A new key pair of the configured algorithm, as a row; `inMemoryOnly` keeps the PEM unencrypted, for a row never stored. */
  async newKey(signsFrom: number, { inMemoryOnly = false } = {}): Promise<SigningKey> {
    const algorithm = this.algorithm as AsymmetricAlgorithm;
    const { privateKey } = await generateSigningKeyPair(algorithm);
    const jwk = publicJwkOf(privateKey, algorithm);
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    return this.table.create({
      kid: jwk.kid,
      algorithm,
      publicJwk: JSON.stringify(jwk),
      privateKey: inMemoryOnly ? pem : encryptPrivateKey(pem, jwk.kid, this.config.secretKey),
      createdAt: Date.now(),
      signsFrom,
    });
  }

  /**
   * When each key stops being published: a key signs until the next one starts (by `signs_from`),
   * plus a reload period for an instance whose clock or reload lags, and its tokens live
   * ACCESS_TOKEN_EXPIRE_MINUTES more, plus the clock tolerance.
   */
  lifetimes(rows: SigningKey[]): { row: SigningKey; publishedUntil: number }[] {
    const now = Date.now();
    const newestFirst = [...rows].sort((a, b) => b.signsFrom - a.signsFrom || b.createdAt - a.createdAt || (a.kid < b.kid ? 1 : -1));
    const tokenLifetimeMs = (this.config.accessTokenExpireMinutes * 60 + CLOCK_TOLERANCE_SECONDS) * 1000;
    let takenOverAt = Infinity;
    return newestFirst.map((row) => {
      const publishedUntil = takenOverAt === Infinity ? Infinity : takenOverAt + this.reloadMs + tokenLifetimeMs;
      if (row.signsFrom <= now) takenOverAt = Math.min(takenOverAt, row.signsFrom);
      return { row, publishedUntil };
    });
  }
}
