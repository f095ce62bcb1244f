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

/** PostgreSQL cannot store NUL in text; SQLite would truncate at it. Refused everywhere alike. */
export function findNulByte(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = findNulByte(child, [...path, Array.isArray(value) ? Number(key) : key]);
    if (found) return found;
  }
  return undefined;
}

/** A 422 naming the first string of `value` with a NUL byte in it, if there is one. */
export function refuseNulBytes(value: unknown, location: Location): void {
  const nul = findNulByte(value);
  if (nul) throw new RequestValidationError([validationIssue('string_nul_byte', [location, ...nul], 'String should not contain NUL bytes', undefined)]);
}

@Injectable()
export class FastApiValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const { metatype, type } = metadata;
    if (type === 'custom' || !metatype || PRIMITIVES.has(metatype)) return value;
    const location: Location = type === 'param' ? 'path' : type;
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
    refuseNulBytes(value, location);
    const instance = plainToInstance(metatype, value) as object;
    const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false });
    if (errors.length > 0) throw new RequestValidationError(toValidationIssues(errors, location));
    return instance;
  }
}
