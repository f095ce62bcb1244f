import { type DynamicModule, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ActiveTokenGuard, TokenIntrospection } from './introspection.js';
import { ResourceController } from './resource.controller.js';
import { ResourceServerSettings } from './settings.js';
import { SignatureStrategy } from './signature.strategy.js';

@Module({})
export class AppModule {
  static with(settings: ResourceServerSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [PassportModule],
      controllers: [ResourceController],
      providers: [{ provide: ResourceServerSettings, useValue: settings }, SignatureStrategy, TokenIntrospection, ActiveTokenGuard],
    };
  }
}
