import { randomBytes } from 'node:crypto';
import { isPublishedSecretKey, secretKeyProblem } from './secret-key.js';

const TUTORIAL_KEY = '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7';
const FIX = 'generate one with: openssl rand -hex 32';

const problem = (key: string) => secretKeyProblem([{ name: 'SECRET_KEY', key, fix: FIX }]);

describe('secretKeyProblem', () => {
  it.each([
    ['as printed', TUTORIAL_KEY],
    ['upper-cased', TUTORIAL_KEY.toUpperCase()],
    ['with a trailing space', `${TUTORIAL_KEY} `],
    ['padded and mixed-case', '  Your-Secret-Key-Keep-It-Secret\t'],
  ])('refuses a published key %s, saying how to make one', (_case, key) => {
    expect(problem(key)).toBe('SECRET_KEY is a published example key; generate one with: openssl rand -hex 32');
  });

  it.each([
    ['one repeated character', 'a'.repeat(32), 9],
    ['a repeated common password', 'password'.repeat(4), 4],
    ['a keyboard walk', 'qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjkl', 53],
  ])('refuses %s, with its estimate and what is needed', (_case, key, bits) => {
    expect(problem(key)).toBe(`SECRET_KEY is too easy to guess (about ${bits} bits of estimated entropy, 128 needed); ${FIX}`);
  });

  it('refuses 32 random hex characters (128 bits, but estimated at about 106: some 39 random characters are needed)', () => {
    expect(problem(randomBytes(16).toString('hex'))).toMatch(/^SECRET_KEY is too easy to guess \(about 1\d\d bits/);
  });

  it.each([
    ['openssl rand -hex 32', () => randomBytes(32).toString('hex')],
    ['openssl rand -base64 32', () => randomBytes(32).toString('base64')],
  ])('accepts what %s makes', (_case, make) => {
    for (let i = 0; i < 5; i += 1) expect(problem(make())).toBeUndefined();
  });

  it('names the first key at fault, with its own advice', () => {
    const keys = [
      { name: 'SECRET_KEY', key: randomBytes(32).toString('hex'), fix: FIX },
      { name: 'PREVIOUS_SECRET_KEYS entry 1', key: randomBytes(32).toString('hex'), fix: 'remove it' },
      { name: 'PREVIOUS_SECRET_KEYS entry 2', key: 'changeme'.repeat(6), fix: 'remove it' },
    ];
    expect(secretKeyProblem(keys)).toMatch(/^PREVIOUS_SECRET_KEYS entry 2 is too easy to guess \(about \d+ bits .*\); remove it$/);
  });

  it('has nothing to say when no key is set', () => {
    expect(secretKeyProblem([])).toBeUndefined();
  });
});

describe('isPublishedSecretKey', () => {
  it('ignores case and surrounding whitespace, nothing else', () => {
    expect(isPublishedSecretKey(` ${TUTORIAL_KEY.toUpperCase()}\n`)).toBe(true);
    expect(isPublishedSecretKey(`${TUTORIAL_KEY}0`)).toBe(false);
  });
});
