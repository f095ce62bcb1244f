import { Module } from '@nestjs/common';
import { HashQueue } from './hash-queue.js';
import { PasswordHasher } from './password-hasher.js';

@Module({
  providers: [PasswordHasher, HashQueue],
  exports: [PasswordHasher, HashQueue],
})
export class PasswordModule {}
