import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import type { AppConfig } from './config/app-config.js';
import { ClientsModule } from './clients/clients.module.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DemoDataModule } from './database/demo-data.js';
import { HealthModule } from './health/health.module.js';
import { ItemsModule } from './items/items.module.js';
import { MailModule } from './mail/mail.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { RecoveryModule } from './recovery/recovery.module.js';
import { ThrottleModule } from './throttle/throttle.module.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), ObservabilityModule.forRoot(config), ThrottleModule, DatabaseModule, MailModule, UsersModule, RecoveryModule, ItemsModule, DemoDataModule, ClientsModule, AuthModule, HealthModule],
    };
  }
}
