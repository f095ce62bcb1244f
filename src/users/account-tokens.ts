// The single-use tokens of mailed links: 256 random bits, stored only as their SHA-256, each for
// one purpose (a password reset, or verifying one address), voided by a newer one of its kind.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { AccountToken, type AccountTokenPurpose } from './account-token.entity.js';

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class AccountTokens {
  /**
   * A new token for `userId`, valid for `ttlMs`; the user's earlier live tokens of the same purpose
   * are voided, so only the newest link works. Returns the token itself, which is stored nowhere.
   */
  async issue(manager: EntityManager, userId: string, purpose: AccountTokenPurpose, ttlMs: number, email: string | null = null): Promise<string> {
    await this.voidAll(manager, userId, purpose);
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await manager.getRepository(AccountToken).insert({
      id: randomUUID(),
      userId,
      purpose,
      tokenHash: tokenHash(token),
      email,
      createdAt: now,
      expiresAt: now + ttlMs,
      usedAt: null,
    });
    return token;
  }

  /**
   * The token's row if `token` is a live token of `purpose`, left unused: to learn whose it is (and
   * check what it is for) before `consume` spends it.
   */
  async findLive(manager: EntityManager, token: string, purpose: AccountTokenPurpose): Promise<AccountToken | null> {
    const found = await manager.getRepository(AccountToken).findOneBy({ tokenHash: tokenHash(token), purpose, usedAt: IsNull() });
    return found && found.expiresAt > Date.now() ? found : null;
  }

  /**
   * The token's row, now used, if `token` is a live token of `purpose`; null if it is unknown, of
   * another purpose, used, voided or expired. Using it is one conditional UPDATE: of two requests
   * with the same token, one wins.
   */
  async consume(manager: EntityManager, token: string, purpose: AccountTokenPurpose): Promise<AccountToken | null> {
    const found = await this.findLive(manager, token, purpose);
    if (!found) return null;
    const now = Date.now();
    const result = await manager
      .createQueryBuilder()
      .update(AccountToken)
      .set({ usedAt: now })
      .where('id = :id AND used_at IS NULL', { id: found.id })
      .execute();
    return result.affected === 1 ? { ...found, usedAt: now } : null;
  }

  /** Voids `userId`'s outstanding tokens of `purpose` (a reset, a password change, a change of address). */
  async voidAll(manager: EntityManager, userId: string, purpose: AccountTokenPurpose): Promise<void> {
    await manager.getRepository(AccountToken).update({ userId, purpose, usedAt: IsNull() }, { usedAt: Date.now() });
  }
}
