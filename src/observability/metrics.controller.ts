// GET /metrics for Prometheus. Not public: it answers only to `Authorization: Bearer METRICS_TOKEN`,
// and is not registered at all while METRICS_TOKEN is unset. Left out of the OpenAPI document.
import { timingSafeEqual, createHash } from 'node:crypto';
import { Controller, Get, Headers, HttpStatus, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators.js';
import { HttpErrorWithHeaders } from '../common/http-error.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from './metrics.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const expected = this.config.metricsToken ?? '';
    const offered = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '';
    // Equal-length digests, so the comparison takes the same time whatever was offered.
    if (!expected || !timingSafeEqual(digest(offered), digest(expected))) {
      throw new HttpErrorWithHeaders(HttpStatus.UNAUTHORIZED, { detail: 'Not authenticated' }, { 'WWW-Authenticate': 'Bearer' });
    }
    await reply.header('Content-Type', this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
