import { ApiProperty } from '@nestjs/swagger';

/** Every error answer: `{"detail": "…"}`. */
export class ErrorDetail {
  @ApiProperty({ example: 'Could not validate credentials' })
  detail: string;
}

export class ValidationIssueDto {
  @ApiProperty({ example: 'missing' })
  type: string;

  @ApiProperty({ example: ['body', 'username'], type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] } })
  loc: (string | number)[];

  @ApiProperty({ example: 'Field required' })
  msg: string;

  // Documented as an object, which most inputs are not; `{}` is one this service sends (a body nested too deeply).
  @ApiProperty({ required: false, description: 'Left out for password, token and secret fields', example: {} })
  input?: unknown;
}

/** FastAPI's 422 answer. */
export class HttpValidationError {
  @ApiProperty({ type: [ValidationIssueDto] })
  detail: ValidationIssueDto[];
}
