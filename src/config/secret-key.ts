// What a JWT signing key (SECRET_KEY, and each of PREVIOUS_SECRET_KEYS) must be, in every mode:
// anyone who guesses it can forge any user's tokens, so neither a key printed in a tutorial nor one
// that a guesser would try early is accepted.
import { createRequire } from 'node:module';
import type * as ZxcvbnCore from '@zxcvbn-ts/core';
import type * as ZxcvbnCommon from '@zxcvbn-ts/language-common';

export const GENERATE_SECRET_KEY = 'openssl rand -hex 32';

/** Keys printed in the tutorial and the posts that retell it, lower-cased. */
const PUBLISHED_SECRET_KEYS = new Set([
  '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7',
  'your-secret-key-keep-it-secret',
  'your-256-bit-secret',
  'change-me-to-a-long-random-string-of-at-least-32-bytes',
]);

/**
 * Estimated entropy a key needs. zxcvbn counts about 3.3 bits per random character, so this takes
 * some 39 random characters: `openssl rand -hex 32` (64) gives about 210, `-base64 32` about 146.
 */
export const MIN_SECRET_KEY_BITS = 128;

/** Published keys are refused however they are cased or padded: HMAC would take the variant as a new key, a guesser tries it early. */
export function isPublishedSecretKey(key: string): boolean {
  return PUBLISHED_SECRET_KEYS.has(key.trim().toLowerCase());
}

/**
 * Estimates of how many bits a guesser needs for each key (zxcvbn-ts: repeats, sequences, keyboard
 * walks, dates, common passwords and words). Loaded from node_modules when first needed, outside the
 * bundle, as the server's only use of it: some 60 ms, paid only when a key is set.
 */
export function secretKeyBits(keys: readonly string[]): number[] {
  const load = createRequire(import.meta.url);
  const { ZxcvbnFactory } = load('@zxcvbn-ts/core') as typeof ZxcvbnCore;
  const common = load('@zxcvbn-ts/language-common') as typeof ZxcvbnCommon;
  const zxcvbn = new ZxcvbnFactory({
    dictionary: { ...common.dictionary },
    graphs: common.adjacencyGraphs,
    // Look-alike substitutions (p4ssw0rd) would cost some 50 ms on a hex or base64 key, whose digits
    // all read as letters; a repeated or common key is refused without them.
    l33tMaxSubstitutions: 0,
  });
  return keys.map((key) => zxcvbn.check(key).guessesLog10 * Math.log2(10));
}

/**
 * Why a key may not sign or verify tokens, in one line; undefined when every key may. Each entry
 * names its key for the message (`SECRET_KEY`, `PREVIOUS_SECRET_KEYS entry 2`) with the advice that fixes it.
 */
export function secretKeyProblem(keys: ReadonlyArray<{ name: string; key: string; fix: string }>): string | undefined {
  const published = keys.find(({ key }) => isPublishedSecretKey(key));
  if (published) return `${published.name} is a published example key; ${published.fix}`;
  if (keys.length === 0) return undefined;
  const bits = secretKeyBits(keys.map(({ key }) => key));
  const weak = keys.findIndex((_, index) => bits[index] < MIN_SECRET_KEY_BITS);
  if (weak === -1) return undefined;
  const { name, fix } = keys[weak];
  // Rounded, but never up to what is needed: "about 128 bits, 128 needed" would read as a pass.
  const about = Math.min(Math.round(bits[weak]), MIN_SECRET_KEY_BITS - 1);
  return `${name} is too easy to guess (about ${about} bits of estimated entropy, ${MIN_SECRET_KEY_BITS} needed); ${fix}`;
}
