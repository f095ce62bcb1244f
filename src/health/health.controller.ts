// Liveness and readiness for load balancers and orchestrators. Live: the process answers. Ready:
// the database answers within a second; Redis, when configured, is reported but never makes an
// instance unready, since rate limits fall back to counting in-process while it is away (a
// `degraded` status, still 200), and taking every instance out of rotation for it would turn a
// Redis outage into a full one.
import { Controller, Get, HttpException, HttpStatus, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { Public } from '../auth/decorators.js';
import { REDIS } from '../throttle/throttle.module.js';
import { HealthReport, NotReadyReport } from './dto/health-report.dto.js';

const CHECK_TIMEOUT_MS = 1000;

/** Liveness checks nothing: it answers, which is the point. */
const LIVE: HealthReport = { status: 'ok', info: {}, error: {}, details: {} };

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up and answering' })
  @ApiOkResponse({ type: HealthReport, example: LIVE })
  liveness(): HealthReport {
    return LIVE;
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'The database answers: this instance can serve requests' })
  @ApiOkResponse({ type: HealthReport })
  @ApiServiceUnavailableResponse({ description: 'Not ready: the database does not answer', type: NotReadyReport })
  async readiness(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database').withTimeout(CHECK_TIMEOUT_MS),
        ...(this.redis ? [() => this.rateLimitStore(this.redis!)] : []),
      ]);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      // The errors' one shape, with terminus's report beside the detail.
      throw new HttpException({ detail: 'Not ready', ...(error.getResponse() as object) }, HttpStatus.SERVICE_UNAVAILABLE);
    }
  }

  private async rateLimitStore(redis: Redis) {
    const check = this.indicators.check('redis');
    try {
      await Promise.race([redis.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref())]);
      return check.up();
    } catch (error) {
      return check.degraded({ message: `${(error as Error).message}: rate limits count in this process only` });
    }
  }
}
