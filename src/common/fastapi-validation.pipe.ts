// Validates bodies, queries and path parameters against their DTO classes and answers FastAPI's
// 422 detail list, with `loc` naming where the bad value was ("body", "query" or "path").
import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { RequestValidationError, toValidationIssues, validationIssue, type Location } from './request-validation.js';

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object]);

/**
 * Far deeper than any request shape (every field is a scalar). A JSON body nested thousands of
 * levels deep would overflow the stack of the recursive walks below and of class-transformer: a 500.
 */
export const MAX_NESTING_DEPTH = 32;

/** True when `value` nests objects or arrays more than `limit` levels deep; iterative, so any depth is safe. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/** A lone UTF-16 surrogate (`"\ud800"` in JSON) has no UTF-8 form. */
const LONE_SURROGATE = /\p{Cs}/u;

interface UnstorableString {
  path: (string | number)[];
  why: 'nul' | 'surrogate';
}

/**
 * The first string of `value` that no database stores as sent: PostgreSQL cannot store NUL in text
 * and SQLite would truncate at it; a lone surrogate would be stored as U+FFFD by both, while the
 * answer echoed the original. Refused everywhere alike.
 */
function findUnstorableString(value: unknown, path: (string | number)[] = []): UnstorableString | undefined {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { path, why: 'nul' };
    return LONE_SURROGATE.test(value) ? { path, why: 'surrogate' } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = findUnstorableString(child, [...path, Array.isArray(value) ? Number(key) : key]);
    if (found) return found;
  }
  return undefined;
}

/** A 422 naming the first string of `value` with a NUL byte or a lone surrogate in it, if there is one. */
export function refuseUnstorableStrings(value: unknown, location: Location): void {
  const found = findUnstorableString(value);
  if (!found) return;
  const loc = [location, ...found.path];
  throw new RequestValidationError([
    found.why === 'nul'
      ? validationIssue('string_nul_byte', loc, 'String should not contain NUL bytes', undefined)
      : validationIssue('string_unicode', loc, 'Input should be a valid string, unable to parse raw data as a unicode string', undefined),
  ]);
}

const FORM_MODEL = Symbol('formModel');

/**
 * Marks a DTO as an HTML form's fields, as FastAPI's `Form()` parameters are: a request without a
 * body is an empty form, whose missing fields are reported one by one (or, where every field is
 * optional, no error at all), not one missing `body`.
 */
export function FormModel(): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(FORM_MODEL, true, target);
  };
}

function isFormModel(metatype: unknown): boolean {
  return typeof metatype === 'function' && Reflect.getMetadata(FORM_MODEL, metatype) === true;
}

@Injectable()
export class FastApiValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const { metatype, type } = metadata;
    if (type === 'custom' || !metatype || PRIMITIVES.has(metatype)) return value;
    const location: Location = type === 'param' ? 'path' : type;
    if (value === undefined && location === 'body' && isFormModel(metatype)) value = {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      if (value === undefined || value === null) throw new RequestValidationError([validationIssue('missing', [location], 'Field required', null)]);
      const issue = validationIssue('model_attributes_type', [location], 'Input should be a valid dictionary or object to extract fields from', value);
      // Not echoed, unlike FastAPI: a form or text body sent where JSON belongs carries the passwords.
      delete issue.input;
      throw new RequestValidationError([issue]);
    }
    if (nestedDeeperThan(value, MAX_NESTING_DEPTH)) {
      throw new RequestValidationError([
        validationIssue('json_invalid', [location], 'Input is nested too deeply', {}, { max_depth: MAX_NESTING_DEPTH }),
      ]);
    }
    refuseUnstorableStrings(value, location);
    const instance = plainToInstance(metatype, value) as object;
    const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false });
    if (errors.length > 0) throw new RequestValidationError(toValidationIssues(errors, location));
    return instance;
  }
}
