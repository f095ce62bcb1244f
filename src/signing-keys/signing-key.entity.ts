import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMilliseconds } from '../database/epoch-ms.js';

/**
 * A key pair tokens are signed with under ES256 or RS256 (docs/architecture.md, "Signing keys").
 * The public half is stored as the JWK the service publishes; the private half only encrypted with
 * a key derived from SECRET_KEY (key-encryption.ts). A key is published from `created_at`, signs
 * from `signs_from`, and stops being published once the next key has signed for as long as the
 * longest token lives.
 */
@Entity({ name: 'signing_keys' })
export class SigningKey {
  /** RFC 7638 thumbprint of the public key: the `kid` of every token it signs. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid: string;

  @Column({ type: 'varchar', length: 8 })
  algorithm: string;

  /** The public JWK, as JSON. */
  @Column({ name: 'public_jwk', type: 'text' })
  publicJwk: string;

  /** The PKCS#8 private key, encrypted (key-encryption.ts). */
  @Column({ name: 'private_key', type: 'text' })
  privateKey: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMilliseconds })
  createdAt: number;

  @Column({ name: 'signs_from', type: 'bigint', transformer: epochMilliseconds })
  signsFrom: number;
}
