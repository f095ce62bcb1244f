// Prometheus metrics, in a registry of this application's own (two apps in one process, as in
// tests, never share or clash): request latency per route, audit events (logins, failures,
// lock-outs, …), the password-hashing queue, and Node's process metrics.
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HashQueue } from '../password/hash-queue.js';

@Injectable()
export class Metrics {
  readonly registry = new Registry();

  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to answer, by route pattern',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly auditEvents = new Counter({
    name: 'auth_events_total',
    help: 'Security events: login.succeeded, login.failed, login.locked_out, token.refresh_reuse, …',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  constructor(hashQueue: HashQueue) {
    new Gauge({
      name: 'password_hash_queue_depth',
      help: 'Password hashes waiting for a turn (HASH_QUEUE_LIMIT refuses more)',
      registers: [this.registry],
      collect() {
        this.set(hashQueue.depth.waiting);
      },
    });
    new Gauge({
      name: 'password_hash_running',
      help: 'Password hashes being computed (at most HASH_CONCURRENCY)',
      registers: [this.registry],
      collect() {
        this.set(hashQueue.depth.running);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status_code: statusCode }, seconds);
  }

  countEvent(event: string): void {
    this.auditEvents.inc({ event });
  }
}
