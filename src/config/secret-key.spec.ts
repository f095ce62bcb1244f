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

  // Keys that openssl made, fixed so that the estimate of each is the same on every run.
  it.each(['261422db61b6d17e57c801416ac85c41', 'ab3a76c55579fb68aeaa6a1bc79eaac9', '0851cc680ccd19cfcbf96219f87b38b1'])(
    'refuses 32 random hex characters such as %s (128 bits, but estimated at about 106: some 39 random characters are needed)',
    (key) => {
      expect(problem(key)).toMatch(/^SECRET_KEY is too easy to guess \(about \d+ bits of estimated entropy, 128 needed\)/);
    },
  );

  it.each([
    ['openssl rand -hex 32', '13ed87fdacc56e72c23196c2a1d4bc6376316f377ac35dcd2092207a5047e1f9'],
    ['openssl rand -hex 32', '90d87520b943feff4dc8d19cc60aa1f053f632ce4f146f19f9bfa2625d545a80'],
    ['openssl rand -base64 32', '0AYOHiKdyzvTdl5RsAFauthlksgXYShs4GQTViAiJ5s='],
    ['openssl rand -base64 32', 'K0QOnDCfp7oxNmNokzY0quHdBJKC8thEHdnASMnWMR4='],
    ['openssl rand -base64 32', '2DsKLVjhQsPnVmCEJFxBQpIq3Uo0PfBQVcNTG35BQ88='],
  ])('accepts what %s makes: %s', (_case, key) => {
    expect(problem(key)).toBeUndefined();
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
