import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Every error answer: `{"detail": "…"}`. */
export class ErrorDetail {
  @ApiProperty({ example: 'Could not validate credentials' })
  detail: string;
}

/** RFC 6749 §5.2: `/token`, `/revoke` and `/introspect` add the OAuth2 error code to most of their 400s. */
export class OAuth2ErrorDetail extends ErrorDetail {
  @ApiPropertyOptional({ enum: ['invalid_request', 'invalid_client', 'invalid_grant', 'invalid_scope'], example: 'invalid_grant' })
  error?: string;
}

export class ValidationIssueDto {
  @ApiProperty({ example: 'missing' })
  type: string;

  @ApiProperty({ example: ['body', 'username'], type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] } })
  loc: (string | number)[];

  @ApiProperty({ example: 'Field required' })
  msg: string;

  // Any JSON value: whatever was sent. `type: Array` with `anyOf` is how @nestjs/swagger leaves the
  // property without a type of its own. `{}` is one this service sends (a body nested too deeply).
  @ApiProperty({
    required: false,
    description: 'What was sent; left out for password, token and secret fields',
    type: Array,
    anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object', nullable: true }, { type: 'array', items: {} }],
    example: {},
  })
  input?: unknown;

  @ApiPropertyOptional({ description: 'The rule that was broken, for bounds, lengths and patterns', example: { min_length: 3 } })
  ctx?: Record<string, unknown>;
}

/** FastAPI's 422 answer. */
export class HttpValidationError {
  @ApiProperty({ type: [ValidationIssueDto] })
  detail: ValidationIssueDto[];
}
