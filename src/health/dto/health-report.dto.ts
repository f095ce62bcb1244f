import { ApiProperty } from '@nestjs/swagger';

/** Each check by name: `{"database": {"status": "up", "responseTime": 2}}`. */
const CHECKS = {
  type: 'object' as const,
  additionalProperties: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['up', 'down', 'degraded'], example: 'up' },
      responseTime: { type: 'integer', description: 'Milliseconds the check took', example: 2 },
      message: { type: 'string', example: 'timeout of 1000ms exceeded' },
    },
  },
};

const DATABASE_UP = { database: { status: 'up', responseTime: 2 } };
const DATABASE_DOWN = { database: { status: 'down', responseTime: 1001, message: 'timeout of 1000ms exceeded' } };

export class HealthReport {
  @ApiProperty({ enum: ['ok', 'degraded'], example: 'ok' })
  status: 'ok' | 'degraded';

  @ApiProperty({ ...CHECKS, example: DATABASE_UP })
  info: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, example: {} })
  error: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, example: DATABASE_UP })
  details: Record<string, unknown>;
}

export class NotReadyReport {
  @ApiProperty({ example: 'Not ready' })
  detail: string;

  @ApiProperty({ enum: ['error'], example: 'error' })
  status: 'error';

  @ApiProperty({ ...CHECKS, example: {} })
  info: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, example: DATABASE_DOWN })
  error: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, example: DATABASE_DOWN })
  details: Record<string, unknown>;
}
