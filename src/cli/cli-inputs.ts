// What the CLI is given, checked with the same field rules as the API's request bodies
// (field-rules.ts) and by the API's own validation pipe, so that a name or password the API refuses
// is refused here too.
import { HttpException } from '@nestjs/common';
import { FastApiValidationPipe } from '../common/fastapi-validation.pipe.js';
import { describeRefusal } from '../common/http-error.js';
import { EmailRules, FullNameRules, PasswordRules, UsernameRules } from '../users/dto/field-rules.js';
import { CommandRefused } from './command-refused.js';

export class AccountName {
  @UsernameRules()
  username: string;
}

export class NewAccountFields {
  @UsernameRules()
  username: string;

  @EmailRules()
  email?: string | null;

  @FullNameRules()
  full_name?: string | null;
}

export class NewPassword {
  @PasswordRules(true)
  password: string;
}

const pipe = new FastApiValidationPipe();

/** `value` as an instance of `shape`, or a refusal naming each field the API would refuse. */
export function validated<T extends object>(shape: new () => T, value: Record<string, unknown>): T {
  try {
    return pipe.transform(value, { type: 'body', metatype: shape }) as T;
  } catch (error) {
    if (error instanceof HttpException) throw new CommandRefused(describeRefusal(error));
    throw error;
  }
}

/** Why the API would refuse `value` as a `shape`, in one line; undefined when it would accept it. */
export function whyRefused<T extends object>(shape: new () => T, value: Record<string, unknown>): string | undefined {
  try {
    validated(shape, value);
    return undefined;
  } catch (error) {
    if (error instanceof CommandRefused) return error.message;
    throw error;
  }
}
