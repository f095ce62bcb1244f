import { domainToASCII, domainToUnicode } from 'node:url';

/**
 * The form under which addresses are compared: lower case, the domain in its ASCII (IDNA) form, so
 * `John@Example.COM` and `john@example.com`, or `a@bücher.de` and `a@xn--bcher-kva.de`, are one.
 */
export function emailKey(email: string): string {
  const address = email.trim();
  const at = address.lastIndexOf('@');
  if (at < 0) return address.toLowerCase();
  const domain = address.slice(at + 1).toLowerCase();
  return `${address.slice(0, at).toLowerCase()}@${domainToASCII(domain) || domain}`;
}

/**
 * The lower-cased spellings of the address `key` (an `emailKey`) as it may have been typed: with the
 * domain in its ASCII form or in Unicode. For finding addresses stored as typed; compare the
 * candidates' `emailKey` to be exact.
 */
export function emailKeyForms(key: string): string[] {
  const at = key.lastIndexOf('@');
  if (at < 0) return [key];
  const unicode = `${key.slice(0, at)}@${domainToUnicode(key.slice(at + 1)).toLowerCase()}`;
  return [...new Set([key, unicode])];
}
