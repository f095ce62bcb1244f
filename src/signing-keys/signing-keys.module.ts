import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JwksController } from './jwks.controller.js';
import { SigningKey } from './signing-key.entity.js';
import { SigningKeyStore } from './signing-key-store.js';
import { SigningKeys } from './signing-keys.js';

/** The keys tokens are signed with, and `GET /.well-known/jwks.json`. */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKey])],
  controllers: [JwksController],
  providers: [SigningKeyStore, SigningKeys],
  exports: [SigningKeys],
})
export class SigningKeysModule {}
