// Public keys as JWKs (RFC 7517) and their RFC 7638 thumbprints, which serve as `kid`.
import { createHash, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

export type AsymmetricAlgorithm = 'ES256' | 'RS256';

/** The members of a published key: public parameters only, whatever the key object holds. */
export interface PublicJwk {
  kty: 'EC' | 'RSA';
  kid: string;
  alg: AsymmetricAlgorithm;
  use: 'sig';
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/** The members RFC 7638 hashes, in its (lexicographic) order, for each key type. */
const REQUIRED_MEMBERS = { EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'] } as const;

const generate = promisify(generateKeyPair);

export async function generateSigningKeyPair(algorithm: AsymmetricAlgorithm): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return algorithm === 'ES256' ? generate('ec', { namedCurve: 'P-256' }) : generate('rsa', { modulusLength: 2048 });
}

/** The public JWK of `key` (a public or private KeyObject), with its thumbprint as `kid`. */
export function publicJwkOf(key: KeyObject, alg: AsymmetricAlgorithm): PublicJwk {
  const exported = key.export({ format: 'jwk' });
  const kty = exported.kty === 'EC' ? 'EC' : 'RSA';
  const members = Object.fromEntries(REQUIRED_MEMBERS[kty].map((name) => [name, exported[name]])) as Record<string, string>;
  const kid = createHash('sha256').update(JSON.stringify(members)).digest('base64url');
  return { ...members, kty, kid, alg, use: 'sig' } as PublicJwk;
}
