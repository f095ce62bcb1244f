import { Global, Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';
import { PasswordModule } from '../password/password.module.js';
import { AuditLog } from './audit-log.js';
import { Metrics } from './metrics.js';
import { MetricsController } from './metrics.controller.js';
import { loggerParams } from './request-logging.js';

/** Logs (requests and audit events) and metrics, for every module to use. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerParams }), PasswordModule],
      // Without METRICS_TOKEN there is no /metrics route at all.
      controllers: config.metricsToken ? [MetricsController] : [],
      providers: [Metrics, AuditLog],
      exports: [Metrics, AuditLog],
    };
  }
}
