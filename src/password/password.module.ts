import { Module } from '@nestjs/common';
import { HashQueue } from './hash-queue.js';
import { HashingPriority } from './hashing-priority.js';
import { PasswordHasher } from './password-hasher.js';

@Module({
  providers: [PasswordHasher, HashQueue, HashingPriority],
  exports: [PasswordHasher, HashQueue],
})
export class PasswordModule {}
