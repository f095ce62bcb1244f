import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailTransport } from './mail-transport.js';
import { Outbox } from './outbox.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxWorker } from './outbox-worker.js';

/** The outbox and its worker: any module may write a message (Outbox) and register a kind's handler. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  providers: [MailTransport, Outbox, OutboxWorker],
  exports: [Outbox, MailTransport],
})
export class MailModule {}
