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
