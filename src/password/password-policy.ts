// What a new password may not be: common (zxcvbn-ts's list of common passwords), only whitespace or
// one repeated character, or the username or something containing it. Applied only when a password
// is set (sign-up, password changes, users created by a superuser or the CLI), never at login, so
// existing users with such passwords still log in.
import { createRequire } from 'node:module';

export interface PasswordWeakness {
  type: string;
  msg: string;
}

export const PASSWORD_TOO_COMMON: PasswordWeakness = { type: 'password_too_common', msg: 'Password is too common' };
export const PASSWORD_TOO_SIMPLE: PasswordWeakness = {
  type: 'password_too_simple',
  msg: 'Password must not be only whitespace or one repeated character',
};
export const PASSWORD_CONTAINS_USERNAME: PasswordWeakness = {
  type: 'password_contains_username',
  msg: 'Password must not contain the username',
};

/** The class-validator rule (field-rules.ts) that refuses weak passwords, by name. */
export const PASSWORD_POLICY_RULE = 'passwordPolicy';

let common: ReadonlySet<string> | undefined;

/**
 * The common passwords, lower-cased (about 49,000): decompressed and put in a Set at first use, not
 * at start-up (some 60 ms and 15 MB), so processes that never set a password never pay for it.
 */
export function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    // The package has no exports map: its CommonJS file, loaded synchronously when first needed.
    const list = createRequire(import.meta.url)('@zxcvbn-ts/language-common/dist/passwords.json.cjs') as string[] | { default: string[] };
    common = new Set((Array.isArray(list) ? list : list.default).map((word) => word.toLowerCase()));
  }
  return common;
}

/** Why `password` may not be set (for the user called `username`, when known); undefined if it may. */
export function passwordWeakness(password: string, username?: string): PasswordWeakness | undefined {
  const lower = password.normalize('NFKC').toLowerCase();
  const characters = [...lower];
  if (/^\s*$/u.test(lower) || characters.every((character) => character === characters[0])) return PASSWORD_TOO_SIMPLE;
  if (commonPasswords().has(lower)) return PASSWORD_TOO_COMMON;
  if (username !== undefined) {
    const name = username.normalize('NFKC').toLowerCase();
    if (lower === name || (name.length >= 3 && lower.includes(name))) return PASSWORD_CONTAINS_USERNAME;
  }
  return undefined;
}
