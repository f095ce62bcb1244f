import { HttpException } from '@nestjs/common';

/** An error answer that needs headers of its own (the filter adds them to `{"detail": …}`). */
export class HttpErrorWithHeaders extends HttpException {
  constructor(
    status: number,
    body: Record<string, unknown>,
    readonly headers: Record<string, string>,
  ) {
    super(body, status);
  }
}

/** `Retry-After`'s whole seconds for a wait of `ms`, at least one. */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * A client error in one line, for an operator rather than an HTTP client: the `detail` text, or
 * each validation issue as `field: message` ("username: Value error, this username is reserved").
 */
export function describeRefusal(error: HttpException): string {
  const { detail } = error.getResponse() as { detail?: unknown };
  if (Array.isArray(detail)) return detail.map((issue: { loc?: unknown[]; msg?: string }) => `${issue.loc?.at(-1)}: ${issue.msg}`).join('; ');
  return typeof detail === 'string' ? detail : error.message;
}
