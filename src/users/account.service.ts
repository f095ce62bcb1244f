// What a user does with their own account, under the service's policies: signing up (while sign-up
// is open, within the per-address limit), changing their address (its link within the mail limit),
// and changing their password or deleting the account, which both ask for the current password,
// checked exactly as a login checks it.
import { Injectable } from '@nestjs/common';
import type { RequestOrigin } from '../common/request-origin.js';
import { AppConfig } from '../config/app-config.js';
import { PasswordCheck } from '../credentials/password-check.js';
import { MailLimit } from '../throttle/mail-limit.js';
import { SignUpLimit } from '../throttle/sign-up-limit.js';
import { emailKey } from './email-address.js';
import type { User } from './user.entity.js';
import { PasswordChangeNotice } from './password-change-notice.js';
import { incorrectPassword, signUpClosed, userNotFound } from './users.errors.js';
import { UsersService, type NewUser, type ProfileChanges } from './users.service.js';

@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordCheck,
    private readonly signUps: SignUpLimit,
    private readonly mailLimit: MailLimit,
    private readonly config: AppConfig,
    private readonly notice: PasswordChangeNotice,
  ) {}

  /** A new account, unless SIGNUP_ENABLED is off or the address opened too many already. */
  async signUp(input: Pick<NewUser, 'username' | 'password' | 'email' | 'full_name'>, origin: RequestOrigin): Promise<User> {
    if (!this.config.signupEnabled) throw signUpClosed();
    await this.signUps.count(origin.address);
    return this.users.signUp(input, origin);
  }

  /**
   * The user's email or full name (UsersService.updateProfile). A new address's link counts against
   * the mail limit; past it the change still stands and no link is sent, so a stranger's inbox
   * cannot be flooded by changing an address back and forth.
   */
  async updateProfile(user: User, changes: ProfileChanges, origin: RequestOrigin): Promise<User> {
    const current = await this.users.findById(user.id);
    if (!current) throw userNotFound();
    const email = changes.email;
    const newAddress = typeof email === 'string' && emailKey(email) !== current.emailKey;
    const linkAllowed = newAddress ? await this.mailLimit.allows(origin.address, email) : true;
    return this.users.updateProfile(current, changes, origin, linkAllowed);
  }

  /**
   * A new password, given the current one; every earlier token and reset link stops working, and
   * the account's address is told.
   */
  async changePassword(user: User, currentPassword: string, newPassword: string, origin: RequestOrigin): Promise<void> {
    await this.confirmPassword(user, currentPassword, origin);
    await this.users.changePassword(user, newPassword, origin, (manager) => this.notice.record(manager, user.id, origin));
    this.notice.wake();
  }

  /** Deletes the account (and its items and sessions), given its password. */
  async deleteAccount(user: User, currentPassword: string, origin: RequestOrigin): Promise<void> {
    await this.confirmPassword(user, currentPassword, origin);
    await this.users.deleteAccount(user, origin);
  }

  /** A re-entered password: against the stored hash as it is now, not as a token's recent read saw it. */
  private async confirmPassword(user: User, password: string, origin: RequestOrigin): Promise<void> {
    const current = await this.users.findById(user.id);
    if (!current) throw userNotFound();
    if (!(await this.passwords.matches(current.username, current, password, origin))) throw incorrectPassword();
  }
}
