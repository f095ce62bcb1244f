import { takeDefaultNodeEnv, withDefaultNodeEnv } from './default-node-env.js';

const UNSET: Record<string, string | undefined> = {};

describe('takeDefaultNodeEnv', () => {
  it('returns the flag and takes it out of argv, leaving the command to its parser', () => {
    const argv = ['node', 'main.js', '--default-node-env=development', 'create-user', 'alice'];
    expect(takeDefaultNodeEnv(argv)).toBe('development');
    expect(argv).toEqual(['node', 'main.js', 'create-user', 'alice']);
  });

  it('returns undefined without it', () => {
    expect(takeDefaultNodeEnv(['node', 'main.js', 'migrate'])).toBeUndefined();
  });
});

describe('withDefaultNodeEnv', () => {
  it('fills an unset or blank NODE_ENV', () => {
    expect(withDefaultNodeEnv(UNSET, 'development').NODE_ENV).toBe('development');
    expect(withDefaultNodeEnv({ NODE_ENV: ' ' }, 'development').NODE_ENV).toBe('development');
  });

  it('leaves a NODE_ENV that is set, and everything without a fallback', () => {
    expect(withDefaultNodeEnv({ NODE_ENV: 'production' }, 'development').NODE_ENV).toBe('production');
    expect(withDefaultNodeEnv(UNSET, undefined).NODE_ENV).toBeUndefined();
  });
});
