// The admin CLI's audit lines: the server's JSON lines (pino), written to stderr because stdout
// carries the commands' own output, at LOG_LEVEL. A change made here leaves the same trace as one
// made through the API, naming the actor `cli:<os user>`.
import { Injectable } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { AppConfig } from '../config/app-config.js';
import { AuditLog, type AuditEvent, type AuditFields } from '../observability/audit-log.js';

@Injectable()
export class CliAuditLog extends AuditLog {
  private readonly lines: Logger;

  constructor(config: AppConfig) {
    super();
    // Synchronous, so that a line is written before the process exits.
    this.lines = pino({ level: config.logLevel, formatters: { level: (label) => ({ level: label }) } }, pino.destination({ fd: 2, sync: true }));
  }

  override record(event: AuditEvent, fields: AuditFields = {}): void {
    this.lines.info({ context: 'Audit', audit: event, ...fields }, event);
  }
}
