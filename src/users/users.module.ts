import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CredentialsModule } from '../credentials/credentials.module.js';
import { PasswordModule } from '../password/password.module.js';
import { AccountService } from './account.service.js';
import { FirstSuperuser } from './first-superuser.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User]), PasswordModule, CredentialsModule],
  controllers: [UsersController],
  providers: [UsersService, AccountService, FirstSuperuser],
  exports: [UsersService],
})
export class UsersModule {}
