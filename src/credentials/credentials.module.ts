import { Module } from '@nestjs/common';
import { PasswordModule } from '../password/password.module.js';
import { PasswordCheck } from './password-check.js';

/**
 * Checking a password against an account, for both AuthModule (login) and UsersModule (a password
 * re-entered), which therefore need not import each other. The login throttle and the audit log
 * come from their global modules.
 */
@Module({
  imports: [PasswordModule],
  providers: [PasswordCheck],
  exports: [PasswordCheck],
})
export class CredentialsModule {}
