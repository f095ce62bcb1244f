import { BadRequestException } from '@nestjs/common';

/** A reset token that is unknown, used, voided by a newer one, or expired: all answer the same. */
export class InvalidTokenError extends BadRequestException {
  constructor() {
    super({ detail: 'Invalid token' });
  }
}

export const invalidToken = () => new InvalidTokenError();
