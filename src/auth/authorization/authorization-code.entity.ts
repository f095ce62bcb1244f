import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMilliseconds } from '../../database/epoch-ms.js';

/**
 * An authorization code (RFC 6749 §4.1.2), stored only as the SHA-256 of its value, bound to the
 * client it was issued to, the redirect URI it was sent to and the PKCE challenge (RFC 7636 §4.4).
 * Used once; a second use ends the session the first one opened (RFC 6749 §4.1.2).
 */
@Entity({ name: 'authorization_codes' })
export class AuthorizationCode {
  @PrimaryColumn({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  /** Exactly as presented at /authorize: the exchange must present the same string (RFC 6749 §4.1.3). */
  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri: string;

  /** BASE64URL(SHA-256(code_verifier)): only S256 is accepted. */
  @Column({ name: 'code_challenge', type: 'varchar', length: 128 })
  codeChallenge: string;

  @Column({ type: 'varchar', length: 255 })
  scope: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMilliseconds })
  createdAt: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMilliseconds })
  expiresAt: number;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMilliseconds })
  usedAt: number | null;

  /** When a second use was refused: the session of the first use ends, even one opened after it. */
  @Column({ name: 'replayed_at', type: 'bigint', nullable: true, transformer: epochMilliseconds })
  replayedAt: number | null;

  /** The session the code was exchanged for. */
  @Column({ name: 'session_id', type: 'varchar', length: 36, nullable: true })
  sessionId: string | null;
}
