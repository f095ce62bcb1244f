import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CredentialsModule } from '../credentials/credentials.module.js';
import { PasswordModule } from '../password/password.module.js';
import { AccountService } from './account.service.js';
import { AccountToken } from './account-token.entity.js';
import { AccountTokens } from './account-tokens.js';
import { EmailController } from './email.controller.js';
import { EmailVerification } from './email-verification.js';
import { FirstSuperuser } from './first-superuser.js';
import { PasswordChangeNotice } from './password-change-notice.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, AccountToken]), PasswordModule, CredentialsModule],
  controllers: [UsersController, EmailController],
  providers: [UsersService, AccountService, FirstSuperuser, AccountTokens, PasswordChangeNotice, EmailVerification],
  exports: [UsersService, AccountService, AccountTokens, PasswordChangeNotice],
})
export class UsersModule {}
