import { ApiProperty } from '@nestjs/swagger';

/** Each check by name: `{"database": {"status": "up"}}`. */
const CHECKS = {
  type: 'object' as const,
  additionalProperties: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['up', 'down', 'degraded'], example: 'up' },
      message: { type: 'string', example: 'timeout of 1000ms exceeded' },
    },
  },
};

export class HealthReport {
  @ApiProperty({ enum: ['ok', 'degraded'], example: 'ok' })
  status: 'ok' | 'degraded';

  @ApiProperty({ ...CHECKS, example: { database: { status: 'up' } } })
  info: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, example: {} })
  error: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, example: { database: { status: 'up' } } })
  details: Record<string, unknown>;
}

export class NotReadyReport {
  @ApiProperty({ example: 'Not ready' })
  detail: string;

  @ApiProperty({ enum: ['error'], example: 'error' })
  status: 'error';

  @ApiProperty({ ...CHECKS, example: {} })
  info: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, example: { database: { status: 'down', message: 'timeout of 1000ms exceeded' } } })
  error: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, example: { database: { status: 'down', message: 'timeout of 1000ms exceeded' } } })
  details: Record<string, unknown>;
}
