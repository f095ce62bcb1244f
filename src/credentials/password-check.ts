// The one place a password is checked against an account: at login (POST /token) and wherever a
// user re-enters theirs (changing it, deleting the account). Each check is counted by the login
// throttle before it runs, takes at least LOGIN_FAILURE_MIN_MS when it fails (PasswordHasher), and
// a failure or a lock-out is audited, so a re-entered password is no cheaper door for guessing.
import { Injectable } from '@nestjs/common';
import type { RequestOrigin } from '../common/request-origin.js';
import { AuditLog } from '../observability/audit-log.js';
import { PasswordHasher } from '../password/password-hasher.js';
import { LoginRefused, LoginThrottle } from '../throttle/login-throttle.js';
import type { User } from '../users/user.entity.js';

/** The account whose password is checked, with its hash as stored. */
export type Account = Pick<User, 'id' | 'username' | 'hashedPassword'>;

@Injectable()
export class PasswordCheck {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
  ) {}

  /**
   * True when `password` is `account`'s. `name` is the name it was asked for; `account` is null when
   * no user has it, and then the password is checked against a dummy hash, so an unknown name costs
   * and answers the same as a wrong password. Past a limit: `LoginRefused` (429), without checking.
   */
  async matches(name: string, account: Account | null, password: string, origin: RequestOrigin): Promise<boolean> {
    const { address } = origin;
    let matched: boolean;
    try {
      matched = await this.throttle.check({ accountId: account?.id, name }, address, async () => {
        if (account) return this.hasher.verify(account.hashedPassword, password, address);
        await this.hasher.verifyDummy(password, address);
        return false;
      });
    } catch (error) {
      if (error instanceof LoginRefused) this.audit.record('login.locked_out', { username: account?.username }, origin);
      throw error;
    }
    // A match means the account exists: an unknown name is only ever checked against the dummy hash.
    if (matched && account) return true;
    const reason = account ? { reason: 'wrong_password', username: account.username, user_id: account.id } : { reason: 'unknown_user' };
    this.audit.record('login.failed', reason, origin);
    return false;
  }
}
