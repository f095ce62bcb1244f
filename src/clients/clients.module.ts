import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthClient } from './client.entity.js';
import { ClientAuthentication } from './client-authentication.js';
import { ClientsController } from './clients.controller.js';
import { ClientsService } from './clients.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([OAuthClient])],
  controllers: [ClientsController],
  providers: [ClientsService, ClientAuthentication],
  exports: [ClientsService, ClientAuthentication],
})
export class ClientsModule {}
