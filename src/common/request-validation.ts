// FastAPI's 422 answer: `{"detail": [{"type", "loc", "msg", "input"}]}`, built from class-validator
// errors. Inputs of secret fields are never echoed back.
import { HttpException, HttpStatus } from '@nestjs/common';
import { getMetadataStorage, type ValidationError } from 'class-validator';
import { PASSWORD_POLICY_RULE, passwordWeakness } from '../password/password-policy.js';

export type Location = 'body' | 'query' | 'path';

export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

export class RequestValidationError extends HttpException {
  constructor(readonly issues: ValidationIssue[]) {
    super({ detail: issues }, HttpStatus.UNPROCESSABLE_ENTITY);
  }
}

const SECRET_FIELD = /password|secret|token/i;

export function validationIssue(
  type: string,
  loc: (string | number)[],
  msg: string,
  input: unknown,
  ctx?: Record<string, unknown>,
): ValidationIssue {
  const field = loc[loc.length - 1];
  const issue: ValidationIssue = { type, loc, msg };
  if (!(typeof field === 'string' && SECRET_FIELD.test(field))) issue.input = input ?? null;
  if (ctx) issue.ctx = ctx;
  return issue;
}

const TYPE_CONSTRAINTS = new Set(['isString', 'isInt', 'isBoolean', 'isArray']);

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * The arguments a failed rule was declared with (`@MaxLength(255)` gives `[255]`), from
 * class-validator's metadata: its errors carry only the rule's name and an English message. Needs the
 * error's `target`, which `validateSync` includes unless told not to.
 */
function declaredArguments(error: ValidationError, constraint: string): unknown[] {
  const dto = error.target?.constructor;
  if (!dto) return [];
  const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  return rules.find((rule) => rule.propertyName === error.property && rule.name === constraint)?.constraints ?? [];
}

/** Which pydantic error a failed class-validator constraint corresponds to, in pydantic's words. */
function describe(constraint: string, message: string, error: ValidationError): Pick<ValidationIssue, 'type' | 'msg' | 'ctx'> {
  const context = error.contexts?.[constraint] as Record<string, unknown> | undefined;
  const [limit] = declaredArguments(error, constraint);
  switch (constraint) {
    case 'isDefined':
    case 'isNotEmpty':
      return { type: 'missing', msg: 'Field required' };
    case 'isString':
      return { type: 'string_type', msg: 'Input should be a valid string' };
    case 'isInt':
      return { type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer' };
    case 'isBoolean':
      return { type: 'bool_type', msg: 'Input should be a valid boolean' };
    case 'isArray':
      return { type: 'list_type', msg: 'Input should be a valid list' };
    case 'arrayMaxSize': {
      const actual = Array.isArray(error.value) ? error.value.length : undefined;
      return {
        type: 'too_long',
        msg: `List should have at most ${limit} items after validation, not ${actual}`,
        ctx: { field_type: 'List', max_length: limit, actual_length: actual },
      };
    }
    case 'min':
      return { type: 'greater_than_equal', msg: `Input should be greater than or equal to ${limit}`, ctx: { ge: limit } };
    case 'max':
      return { type: 'less_than_equal', msg: `Input should be less than or equal to ${limit}`, ctx: { le: limit } };
    case 'minLength':
      return { type: 'string_too_short', msg: `String should have at least ${limit} characters`, ctx: { min_length: limit } };
    case 'maxLength':
      return { type: 'string_too_long', msg: `String should have at most ${limit} characters`, ctx: { max_length: limit } };
    case 'matches':
      return {
        type: 'string_pattern_mismatch',
        msg: `String should match pattern '${String(context?.pattern)}'`,
        ctx: { pattern: context?.pattern },
      };
    case PASSWORD_POLICY_RULE: {
      const weakness = passwordWeakness(String(error.value));
      return weakness ? { type: weakness.type, msg: weakness.msg } : { type: 'value_error', msg: `Value error, ${message}` };
    }
    case 'whitelistValidation':
      return { type: 'extra_forbidden', msg: 'Extra inputs are not permitted' };
    default:
      return { type: 'value_error', msg: `Value error, ${message}` };
  }
}

export function toValidationIssues(errors: ValidationError[], location: Location, parent: (string | number)[] = []): ValidationIssue[] {
  return errors.flatMap((error) => {
    const loc = [...parent, error.property];
    if (error.children?.length) return toValidationIssues(error.children, location, loc);
    const constraints = Object.entries(error.constraints ?? {});
    if (constraints.length === 0) return [];
    const missing = isMissing(error.value) && constraints.some(([name]) => name === 'isDefined' || name === 'isNotEmpty');
    // A value of the wrong type is reported as such, as pydantic does, whatever other rules it broke.
    const typeError = constraints.find(([name]) => TYPE_CONSTRAINTS.has(name));
    const [name, message] = missing ? ['isDefined', ''] : (typeError ?? constraints[0]);
    const { type, msg, ctx } = describe(name, message, error);
    return [validationIssue(type, [location, ...loc], msg, missing ? null : error.value, ctx)];
  });
}
