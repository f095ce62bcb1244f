// Users from a JSON file shaped like the FastAPI tutorial's `fake_users_db`
// ({"johndoe": {"username", "full_name", "email", "hashed_password", "disabled"}}), keeping their
// hashes (they are re-hashed to argon2id at each user's next login). All or nothing: one bad record
// and nothing is written. Existing names are reported and left alone unless `overwrite`.
import { readFileSync } from 'node:fs';
import { PasswordHasher } from '../password/password-hasher.js';
import { isReservedUsername, usernameKey } from '../users/username.js';
import type { HashedUser, UsersService } from '../users/users.service.js';
import { AccountName, whyRefused } from './cli-inputs.js';
import { CommandRefused } from './command-refused.js';

export type ImportedUser = HashedUser;

export interface ImportReport {
  /** What became of each name, in file order. */
  lines: string[];
  imported: number;
  replaced: number;
  skipped: number;
}

const hasher = new PasswordHasher();

function optionalString(record: Record<string, unknown>, field: string, errors: string[]): string | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') errors.push(`${field} must be a string or null`);
  return typeof value === 'string' ? value : null;
}

/** One record of the file, or the reasons it cannot be imported. */
export function readRecord(key: string, raw: unknown): ImportedUser | string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return ['must be an object'];
  const record = raw as Record<string, unknown>;
  const errors: string[] = [];
  const username = record.username ?? key;
  // The API's own rules for a name (sign-up's request body, then the reserved words).
  const refusal = whyRefused(AccountName, { username });
  if (refusal) {
    errors.push(refusal);
  } else if (isReservedUsername(username as string)) {
    errors.push(`username "${username}" is reserved`);
  }
  const hashedPassword = record.hashed_password;
  if (typeof hashedPassword !== 'string' || !hasher.recognises(hashedPassword)) {
    errors.push('hashed_password is not an argon2, bcrypt or pbkdf2_sha256 hash');
  }
  const email = optionalString(record, 'email', errors);
  const fullName = optionalString(record, 'full_name', errors);
  if (record.disabled !== undefined && record.disabled !== null && typeof record.disabled !== 'boolean') {
    errors.push('disabled must be true or false');
  }
  if (errors.length > 0) return errors;
  return { username: username as string, email, fullName, hashedPassword: hashedPassword as string, disabled: record.disabled === true };
}

/** Every user in `file`, or a refusal listing each bad record, one a line, then "Nothing imported." */
export function readUsersFile(file: string): ImportedUser[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CommandRefused(`${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CommandRefused(`${file}: expected an object of users keyed by username`);
  }
  const users: ImportedUser[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [key, raw] of Object.entries(parsed)) {
    const result = readRecord(key, raw);
    if (Array.isArray(result)) {
      problems.push(...result.map((reason) => `${key}: ${reason}`));
    } else if (seen.has(usernameKey(result.username))) {
      problems.push(`${key}: username "${result.username}" appears twice in the file`);
    } else {
      seen.add(usernameKey(result.username));
      users.push(result);
    }
  }
  if (problems.length > 0) throw new CommandRefused([...problems, 'Nothing imported.'].join('\n'));
  return users;
}

/** Writes `users` all or nothing (UsersService.importHashed); the report is only true once it has committed. */
export async function importUsers(service: UsersService, users: ImportedUser[], overwrite: boolean): Promise<ImportReport> {
  const report: ImportReport = { lines: [], imported: 0, replaced: 0, skipped: 0 };
  for (const { username, outcome } of await service.importHashed(users, overwrite)) {
    if (outcome === 'left alone') {
      report.lines.push(`${username}: exists, left alone (use --overwrite to replace)`);
      report.skipped += 1;
    } else {
      report.lines.push(`${username}: ${outcome}`);
      report[outcome] += 1;
    }
  }
  return report;
}
