// That a client's secret is checked in constant time, whoever the client is: every check makes one
// SHA-256 digest and one crypto.timingSafeEqual of two 32-byte digests, for a known client with the
// right or a wrong secret and for an unknown client alike. node:crypto is the real one, watched.
import { jest } from '@jest/globals';

const real = await import('node:crypto');
const compares: [number, number][] = [];
const digests: string[] = [];
jest.unstable_mockModule('node:crypto', () => ({
  ...real,
  default: real,
  timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
    compares.push([a.byteLength, b.byteLength]);
    return real.timingSafeEqual(a, b);
  },
  createHash: (algorithm: string) => {
    digests.push(algorithm);
    return real.createHash(algorithm);
  },
}));
const { hashClientSecret, newClientSecret, secretMatches } = await import('./client-credentials.js');

function work(check: () => boolean): { result: boolean; compares: [number, number][]; digests: string[] } {
  compares.length = 0;
  digests.length = 0;
  const result = check();
  return { result, compares: [...compares], digests: [...digests] };
}

describe('secretMatches', () => {
  const secret = newClientSecret();
  const stored = hashClientSecret(secret);
  const oneDigestOneCompare = { compares: [[32, 32]], digests: ['sha256'] };

  it('digests and compares once in constant time for the right secret', () => {
    expect(work(() => secretMatches(secret, stored))).toEqual({ result: true, ...oneDigestOneCompare });
  });

  it('does the same work for a wrong secret', () => {
    expect(work(() => secretMatches(newClientSecret(), stored))).toEqual({ result: false, ...oneDigestOneCompare });
  });

  it('does the same work for an unknown client', () => {
    expect(work(() => secretMatches(secret, undefined))).toEqual({ result: false, ...oneDigestOneCompare });
  });

  it('does the same work for a secret of another length', () => {
    expect(work(() => secretMatches('x'.repeat(1000), stored))).toEqual({ result: false, ...oneDigestOneCompare });
  });
});
