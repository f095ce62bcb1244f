// Access tokens: where they are made, and how one is verified (the options and the key, written once
// here for the JWT strategy, its verified-token memory and revocation alike). Keys are KeyObjects
// made from the UTF-8 bytes of SECRET_KEY, as PyJWT uses them: jsonwebtoken handed a string first
// tries to parse it as a PEM key, which costs ~50 times the HMAC itself.
import { createHash, createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import jwt, { type Algorithm } from 'jsonwebtoken';
import { AppConfig } from '../config/app-config.js';
import type { User } from '../users/user.entity.js';
import { InvalidTokenError } from './auth-errors.js';

export const JWT_ALGORITHM: Algorithm = 'HS256';

/** How far `nbf`, `iat` and `exp` may be off, for clocks that drift between machines. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** What a token must satisfy besides its signature, in jsonwebtoken's terms. */
export interface VerificationOptions {
  readonly algorithms: Algorithm[];
  readonly issuer: string;
  readonly audience: string;
  readonly clockTolerance: number;
}

/** The claims of an access token. */
export interface AccessTokenClaims {
  sub: string;
  uid: string;
  ver: number;
  sid: string;
  scope: string;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

export function secretKeyObject(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** A key's public name in the `kid` header: a digest prefix, which says nothing about the key. */
export function keyId(secret: string): string {
  return createHash('sha256').update(`kid:${secret}`, 'utf8').digest('base64url').slice(0, 16);
}

/** Headers whose key is remembered: refused headers are not, so strangers cannot fill this. */
const MAX_REMEMBERED_HEADERS = 32;

function decodeJsonSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

@Injectable()
export class AccessTokenService {
  /** The one statement of what a token needs besides a key from `verificationKeyFor`. */
  readonly verificationOptions: VerificationOptions;
  private readonly currentKey: KeyObject;
  private readonly currentKeyId: string;
  /** Current and previous keys by their `kid`. */
  private readonly keysById: Map<string, KeyObject>;
  /**
   * Keys by the header segment that chose them. Every token this service signs with one key has the
   * same header, so this holds a handful of entries and saves decoding the header of each request.
   */
  private readonly keysByHeader = new Map<string, KeyObject>();

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {
    this.verificationOptions = Object.freeze({
      algorithms: [JWT_ALGORITHM],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    this.currentKey = secretKeyObject(config.secretKey);
    this.currentKeyId = keyId(config.secretKey);
    this.keysById = new Map(
      [config.secretKey, ...config.previousSecretKeys].map((secret) => [keyId(secret), secretKeyObject(secret)] as const),
    );
  }

  get expiresInSeconds(): number {
    return this.config.accessTokenExpireMinutes * 60;
  }

  createAccessToken(user: User, sessionId: string, scope: string): string {
    return this.jwt.sign(
      { sub: user.username, uid: user.id, ver: user.tokenVersion, sid: sessionId, scope },
      { jwtid: randomUUID(), expiresIn: this.expiresInSeconds, keyid: this.currentKeyId },
    );
  }

  /**
   * An OAuth2 client's own token (client_credentials): `sub` and `client_id` are its id, and it has
   * no user (`uid`), version or session, so no user route accepts it.
   */
  createClientAccessToken(clientId: string, scope: string): string {
    return this.jwt.sign({ sub: clientId, client_id: clientId, scope }, { jwtid: randomUUID(), expiresIn: this.expiresInSeconds, keyid: this.currentKeyId });
  }

  /**
   * The claims of a token this service signed, expired or not; undefined for anything else. For
   * revocation only: requests are authenticated by the JWT strategy.
   */
  verifiedClaims(token: string): Pick<AccessTokenClaims, 'sid' | 'uid'> | undefined {
    try {
      const claims = jwt.verify(token, this.verificationKeyFor(token), { ...this.verificationOptions, ignoreExpiration: true });
      if (typeof claims !== 'object' || typeof claims.sid !== 'string' || typeof claims.uid !== 'string') return undefined;
      return { sid: claims.sid, uid: claims.uid };
    } catch {
      return undefined;
    }
  }

  /**
   * The key to verify `token` with, chosen by its `kid`: the current key or a previous one during a
   * rotation. A token without `kid` (signed elsewhere, e.g. by the Python tutorial with the same key)
   * is checked against the current key only. Refuses headers this service never writes (another
   * algorithm, `crit` extensions, an unknown `kid`).
   */
  verificationKeyFor(token: string): KeyObject {
    const dot = token.indexOf('.');
    const segment = dot === -1 ? token : token.slice(0, dot);
    const known = this.keysByHeader.get(segment);
    if (known) return known;
    const key = this.keyForHeader(segment);
    if (this.keysByHeader.size < MAX_REMEMBERED_HEADERS) this.keysByHeader.set(segment, key);
    return key;
  }

  private keyForHeader(segment: string): KeyObject {
    let header: unknown;
    try {
      header = decodeJsonSegment(segment);
    } catch {
      throw new InvalidTokenError('unreadable header');
    }
    if (typeof header !== 'object' || header === null) throw new InvalidTokenError('unreadable header');
    const { alg, crit, kid } = header as { alg?: unknown; crit?: unknown; kid?: unknown };
    if (alg !== JWT_ALGORITHM) throw new InvalidTokenError(`algorithm ${String(alg)} refused`);
    if (crit !== undefined) throw new InvalidTokenError('crit header refused');
    if (kid === undefined) return this.currentKey;
    const key = typeof kid === 'string' ? this.keysById.get(kid) : undefined;
    if (!key) throw new InvalidTokenError('unknown kid');
    return key;
  }
}
