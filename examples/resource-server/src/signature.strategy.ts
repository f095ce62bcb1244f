// Where a token is verified by its signature alone, with no call to the service: passport-jwt checks
// the signature with the service's published key for the token's `kid`, then the algorithm, `exp`,
// `iss` and `aud`. jwks-rsa fetches the service's JWKS, keeps each key it used, and fetches the JWKS
// again when a token names a `kid` it has not seen (a key the service has just rotated in), at most
// 10 times a minute whatever tokens arrive. Nothing here learns that a token's session has ended:
// see introspection.ts.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, type SecretOrKeyProvider, Strategy } from 'passport-jwt';
import { ResourceServerSettings } from './settings.js';

/** The claims of a token whose signature, algorithm, lifetime, issuer and audience held. */
export interface AccessTokenClaims {
  sub: string;
  scope?: string;
  exp: number;
  [claim: string]: unknown;
}

/**
 * The service's asymmetric algorithms (JWT_ALGORITHM). Never HS256: a resource server holds no shared
 * secret, and a verifier that accepted HS256 could be fooled by a token "signed" with a public key.
 */
const ALGORITHMS: Array<'ES256' | 'RS256'> = ['ES256', 'RS256'];

export const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * jwks-rsa hands each key over as PEM text, which jsonwebtoken would parse again at every request
 * (measured here: 390 µs an ES256 verification, against 130 µs with a KeyObject). This parses each
 * key once. It holds at most 16 keys, forgotten all at once when full: the service publishes a
 * handful at a time, so that only costs a parse again.
 */
function withKeyObjects(provider: SecretOrKeyProvider): SecretOrKeyProvider {
  const parsed = new Map<string, KeyObject>();
  return (request, rawToken, done) =>
    provider(request, rawToken, (error, pem) => {
      if (error || typeof pem !== 'string') return done(error, pem);
      let key = parsed.get(pem);
      if (!key) {
        if (parsed.size >= 16) parsed.clear();
        key = createPublicKey(pem);
        parsed.set(pem, key);
      }
      // passport-jwt's types say string | Buffer; jsonwebtoken takes a KeyObject, which is the point.
      done(null, key as unknown as string);
    });
}

@Injectable()
export class SignatureStrategy extends PassportStrategy(Strategy, 'signature') {
  constructor(settings: ResourceServerSettings) {
    super({
      jwtFromRequest: bearerToken,
      secretOrKeyProvider: withKeyObjects(
        passportJwtSecret({
          jwksUri: settings.jwksUri,
          // A key is kept for 10 minutes after it was fetched; the service publishes a retiring key
          // until every token it signed has expired, so a kept key never outlives what it may verify.
          cache: true,
          cacheMaxAge: 10 * 60 * 1000,
          rateLimit: true,
          jwksRequestsPerMinute: 10,
          timeout: 5_000,
        }),
      ),
      algorithms: ALGORITHMS,
      issuer: settings.issuer,
      audience: settings.audience,
    });
  }

  /** jsonwebtoken checks `exp` when it is there; a token must also have one. */
  validate(claims: Partial<AccessTokenClaims>): AccessTokenClaims {
    if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string') throw new UnauthorizedException();
    return claims as AccessTokenClaims;
  }
}
