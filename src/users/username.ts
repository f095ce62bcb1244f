// What a username may be, and the forms under which names are compared: the key (unique, ignoring
// case and width) and the skeleton (unique for new names, ignoring look-alike characters).
import unhomoglyph from 'unhomoglyph';

/**
 * The form under which usernames are unique: NFKC-normalised (so look-alike compatibility
 * characters collide) and lower-cased (so `JohnDoe` and `johndoe` are one name).
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** UTS #39's skeleton: NFD, each character replaced by its prototype in Unicode's confusables.txt, NFD. */
function skeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}

/**
 * The form under which new names may not collide: the skeleton of the name, lower-cased and taken
 * again, so that `аlice` (Cyrillic а), `aIice` (capital I) and `ALICE` all meet `alice`'s
 * (the second pass maps what lower-casing made of the first).
 */
export function usernameSkeleton(username: string): string {
  return skeleton(skeleton(username.normalize('NFKC')).toLowerCase());
}

/** Words that are, or may become, paths under /users/: nobody may be called that. */
const RESERVED = new Set(['me', 'signup', 'password', 'sessions', 'items', 'token', 'admin', 'root']);

export function isReservedUsername(username: string): boolean {
  return RESERVED.has(usernameKey(username));
}

/** The width of the `username_key` and `username_skeleton` columns. */
export const USERNAME_KEY_MAX_LENGTH = 255;

/**
 * NFKC can make a name much longer: U+FDFA alone becomes 18 characters, so a 64-character name can
 * have a key of over a thousand, which PostgreSQL refuses to store (SQLite would store it); the
 * skeleton can be longer still (`m` becomes `rn`).
 */
export function usernameKeyFits(username: string): boolean {
  return usernameKey(username).length <= USERNAME_KEY_MAX_LENGTH && usernameSkeleton(username).length <= USERNAME_KEY_MAX_LENGTH;
}

/**
 * UAX #31's Recommended Scripts (Table 5): the scripts in customary modern use. Usernames are made
 * of these (and of Common and Inherited characters such as digits and combining marks); this stands
 * in for UTS #39's per-character Identifier_Status, which JavaScript has no data for.
 */
const RECOMMENDED_SCRIPTS = [
  'Arab', 'Armn', 'Beng', 'Bopo', 'Cyrl', 'Deva', 'Ethi', 'Geor', 'Grek', 'Gujr', 'Guru', 'Hang', 'Hani', 'Hebr', 'Hira',
  'Kana', 'Khmr', 'Knda', 'Laoo', 'Latn', 'Mlym', 'Mymr', 'Orya', 'Sinh', 'Taml', 'Telu', 'Thaa', 'Thai', 'Tibt',
] as const;

const IN_SCRIPT = RECOMMENDED_SCRIPTS.map((script) => [script, new RegExp(`^\\p{Script_Extensions=${script}}$`, 'u')] as const);

/** Characters of every script (UTS #39 counts them in whichever script the rest of the name is). */
const COMMON_OR_INHERITED = /^[\p{Script_Extensions=Common}\p{Script_Extensions=Inherited}]$/u;

/**
 * UTS #39's augmented script sets: Han is also written as Japanese, Korean and Han with Bopomofo;
 * Hiragana and Katakana as Japanese; Hangul as Korean; Bopomofo as Han with Bopomofo.
 */
const AUGMENTED: Partial<Record<string, string[]>> = {
  Hani: ['Jpan', 'Kore', 'Hanb'],
  Hira: ['Jpan'],
  Kana: ['Jpan'],
  Hang: ['Kore'],
  Bopo: ['Hanb'],
};

/** The mixes UTS #39's "Highly Restrictive" level allows with Latin: Japanese, Korean, Chinese with Bopomofo. */
const MIXES_WITH_LATIN = ['Jpan', 'Kore', 'Hanb'];

const scriptNames = new Intl.DisplayNames('en', { type: 'script' });

/** A character's scripts, augmented; undefined for Common and Inherited ones. */
function scriptsOf(character: string): string[] | undefined {
  if (COMMON_OR_INHERITED.test(character)) return undefined;
  const scripts = IN_SCRIPT.filter(([, pattern]) => pattern.test(character)).map(([script]) => script);
  return scripts.flatMap((script) => [script, ...(AUGMENTED[script] ?? [])]);
}

function intersect(set: Set<string> | undefined, scripts: string[]): Set<string> {
  return new Set(set === undefined ? scripts : scripts.filter((script) => set.has(script)));
}

/**
 * Why `username` may not be taken by a new account, in the words of a 422 (the field rules add
 * "Value error, "), or undefined if it may. Names that exist keep working whatever this says.
 */
export function usernameProblem(username: string): string | undefined {
  if (!usernameKeyFits(username)) return 'this username is too long once normalised';
  if (username !== username.normalize('NFKC')) {
    return 'this username must be typed in plain characters, without compatibility forms such as full-width letters or ligatures';
  }
  if (!/[\p{L}\p{N}]/u.test(username)) return 'this username needs at least one letter or digit';
  // UTS #39 §5.2: the scripts every character shares (the resolved script set), and the same
  // without the Latin ones.
  let shared: Set<string> | undefined;
  let sharedBesideLatin: Set<string> | undefined;
  const seen = new Set<string>();
  for (const character of username) {
    const scripts = scriptsOf(character);
    if (scripts === undefined) continue;
    if (scripts.length === 0) return `this username uses "${character}", from a script not recommended for identifiers`;
    seen.add(scripts[0]);
    shared = intersect(shared, scripts);
    if (!scripts.includes('Latn')) sharedBesideLatin = intersect(sharedBesideLatin, scripts);
  }
  if (shared === undefined || shared.size > 0) return undefined;
  if (sharedBesideLatin && MIXES_WITH_LATIN.some((mix) => sharedBesideLatin.has(mix))) return undefined;
  const names = [...seen].map((script) => scriptNames.of(script) ?? script);
  return `this username mixes scripts (${names.join(', ')}); use one, or Latin with Chinese, Japanese or Korean`;
}
