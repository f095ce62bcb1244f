// What every change of a user's own password brings with it, in the transaction that makes the
// change: their outstanding reset links stop working, and their address is told ("Your password was
// changed", with when and from where), so a change they did not make does not go unnoticed.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestOrigin } from '../common/request-origin.js';
import { Outbox } from '../mail/outbox.js';
import { passwordChangedMessage } from '../mail/templates.js';
import { AccountTokens } from './account-tokens.js';
import { User } from './user.entity.js';

const KIND = 'password_changed';

@Injectable()
export class PasswordChangeNotice {
  constructor(
    private readonly outbox: Outbox,
    private readonly tokens: AccountTokens,
  ) {
    outbox.handle(KIND, async (payload) => ({
      to: String(payload.email),
      ...passwordChangedMessage(String(payload.username), Number(payload.at), typeof payload.address === 'string' ? payload.address : null),
    }));
  }

  /**
   * Voids `userId`'s reset links and, when the account has an address, writes the notice, with
   * `manager` (the transaction that changes the password). Call `wake` once it has committed.
   */
  async record(manager: EntityManager, userId: string, origin: RequestOrigin): Promise<void> {
    await this.tokens.voidAll(manager, userId, 'reset');
    // The address as it is in this transaction, not as a token's recent read saw it.
    const user = await manager.getRepository(User).findOneBy({ id: userId });
    if (!user?.email) return;
    await this.outbox.add(manager, KIND, { email: user.email, username: user.username, at: Date.now(), address: origin.address });
  }

  wake(): void {
    this.outbox.wake();
  }
}
