import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { RecoveryController } from './recovery.controller.js';
import { RecoveryService } from './recovery.service.js';

/** "I forgot my password": the mailed reset link, its API and the pages it opens. */
@Module({
  imports: [UsersModule],
  controllers: [RecoveryController],
  providers: [RecoveryService],
})
export class RecoveryModule {}
