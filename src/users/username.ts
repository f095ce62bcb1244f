/**
 * The form under which usernames are unique: NFKC-normalised (so look-alike compatibility
 * characters collide) and lower-cased (so `JohnDoe` and `johndoe` are one name).
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** Words that are, or may become, paths under /users/: nobody may be called that. */
const RESERVED = new Set(['me', 'signup', 'password', 'sessions', 'items', 'token', 'admin', 'root']);

export function isReservedUsername(username: string): boolean {
  return RESERVED.has(usernameKey(username));
}

/** The width of the `username_key` column. */
export const USERNAME_KEY_MAX_LENGTH = 255;

/**
 * NFKC can make a name much longer: U+FDFA alone becomes 18 characters, so a 64-character name can
 * have a key of over a thousand, which PostgreSQL refuses to store (SQLite would store it).
 */
export function usernameKeyFits(username: string): boolean {
  return usernameKey(username).length <= USERNAME_KEY_MAX_LENGTH;
}
