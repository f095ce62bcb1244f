// Access tokens: where they are made, and how one is verified (the options and the key, written once
// here for the JWT strategy, its verified-token memory and revocation alike). The keys come from
// SigningKeys: SECRET_KEY's bytes under HS256, as PyJWT uses them, or the key pairs of ES256 and
// RS256. All are KeyObjects: jsonwebtoken handed a string first tries to parse it as a PEM key, which
// costs ~50 times the HMAC itself.
import { randomUUID, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import jwt, { type Algorithm } from 'jsonwebtoken';
import { AppConfig } from '../config/app-config.js';
import { CLOCK_TOLERANCE_SECONDS } from '../signing-keys/signing-key-store.js';
import { SigningKeys } from '../signing-keys/signing-keys.js';
import type { User } from '../users/user.entity.js';
import { InvalidTokenError } from './auth-errors.js';

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

/** Headers whose `kid` is remembered: refused headers are not, so strangers cannot fill this. */
const MAX_REMEMBERED_HEADERS = 32;

/** What a header asks for: no `kid` is `undefined`. */
type NamedKey = { readonly kid: string | undefined };

function decodeJsonSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

@Injectable()
export class AccessTokenService {
  /** The one statement of what a token needs besides a key from `findVerificationKey`. */
  readonly verificationOptions: VerificationOptions;
  /**
   * The `kid` by the header segment that named it. Every token this service signs with one key has
   * the same header, so this holds a handful of entries and saves decoding the header of each request.
   */
  private readonly kidsByHeader = new Map<string, NamedKey>();

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly keys: SigningKeys,
  ) {
    this.verificationOptions = Object.freeze({
      algorithms: [config.jwtAlgorithm],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
  }

  get expiresInSeconds(): number {
    return this.config.accessTokenExpireMinutes * 60;
  }

  createAccessToken(user: User, sessionId: string, scope: string): string {
    return this.sign({ sub: user.username, uid: user.id, ver: user.tokenVersion, sid: sessionId, scope });
  }

  private sign(payload: Record<string, unknown>): string {
    const { kid, key } = this.keys.keyToSignWith();
    return this.jwt.sign(payload, { secret: key as unknown as string, jwtid: randomUUID(), expiresIn: this.expiresInSeconds, keyid: kid });
  }

  /**
   * An OAuth2 client's own token (client_credentials): `sub` and `client_id` are its id, and it has
   * no user (`uid`), version or session, so no user route accepts it.
   */
  createClientAccessToken(clientId: string, scope: string): string {
    return this.sign({ sub: clientId, client_id: clientId, scope });
  }

  /**
   * The claims of a token this service signed, expired or not; undefined for anything else. For
   * revocation only: requests are authenticated by the JWT strategy.
   */
  async verifiedClaims(token: string): Promise<Pick<AccessTokenClaims, 'sid' | 'uid'> | undefined> {
    try {
      const claims = jwt.verify(token, await this.findVerificationKey(token), { ...this.verificationOptions, ignoreExpiration: true });
      if (typeof claims !== 'object' || typeof claims.sid !== 'string' || typeof claims.uid !== 'string') return undefined;
      return { sid: claims.sid, uid: claims.uid };
    } catch {
      return undefined;
    }
  }

  /**
   * The key to verify `token` with, chosen by its `kid`: under HS256 the current key or a previous
   * one during a rotation, and for a token without `kid` (signed elsewhere, e.g. by the Python
   * tutorial with the same key) the current key; under ES256 and RS256 a published key, looked for
   * among those another instance added a moment ago when it is not known here yet. Refuses headers
   * this service never writes (another algorithm, `crit` extensions, an unknown `kid`).
   */
  async findVerificationKey(token: string): Promise<KeyObject> {
    const key = await this.keys.findVerificationKey(this.kidOf(token).kid);
    if (!key) throw new InvalidTokenError('unknown kid');
    return key;
  }

  private kidOf(token: string): NamedKey {
    const dot = token.indexOf('.');
    const segment = dot === -1 ? token : token.slice(0, dot);
    const known = this.kidsByHeader.get(segment);
    if (known) return known;
    const named = this.readHeader(segment);
    if (this.kidsByHeader.size < MAX_REMEMBERED_HEADERS) this.kidsByHeader.set(segment, named);
    return named;
  }

  private readHeader(segment: string): NamedKey {
    let header: unknown;
    try {
      header = decodeJsonSegment(segment);
    } catch {
      throw new InvalidTokenError('unreadable header');
    }
    if (typeof header !== 'object' || header === null) throw new InvalidTokenError('unreadable header');
    const { alg, crit, kid } = header as { alg?: unknown; crit?: unknown; kid?: unknown };
    if (alg !== this.config.jwtAlgorithm) throw new InvalidTokenError(`algorithm ${String(alg)} refused`);
    if (crit !== undefined) throw new InvalidTokenError('crit header refused');
    if (kid !== undefined && typeof kid !== 'string') throw new InvalidTokenError('unknown kid');
    return { kid };
  }
}
