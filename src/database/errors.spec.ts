import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isUniqueViolation } from './errors.js';

function queryFailed(driverError: object): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], Object.assign(new Error('driver'), driverError));
}

describe('database errors', () => {
  it('recognises unique violations on PostgreSQL and SQLite', () => {
    expect(isUniqueViolation(queryFailed({ code: '23505' }))).toBe(true);
    expect(isUniqueViolation(queryFailed({ code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(true);
    expect(isUniqueViolation(queryFailed({ code: '23503' }))).toBe(false);
    expect(isUniqueViolation(new Error('23505'))).toBe(false);
  });

  it('recognises a database that cannot be reached', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(queryFailed({ code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(queryFailed({ code: 'SQLITE_BUSY' }))).toBe(true);
    expect(isDatabaseUnavailable(queryFailed({ message: 'Query read timeout' }))).toBe(true);
  });

  it('does not call an ordinary failure an outage', () => {
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(queryFailed({ code: '42P01' }))).toBe(false);
  });
});
