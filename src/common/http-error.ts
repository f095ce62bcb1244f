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
