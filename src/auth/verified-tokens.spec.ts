import { VerifiedTokens } from './verified-tokens.js';

describe('VerifiedTokens', () => {
  const TOLERANCE = 30;
  let now = 1_000_000;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('gives back the claims of a remembered token, and nothing for any other', () => {
    const tokens = new VerifiedTokens(TOLERANCE, 10, clock);
    tokens.remember('a.b.c', { sub: 'johndoe', exp: now + 60 });
    expect(tokens.claimsOf('a.b.c')).toEqual({ sub: 'johndoe', exp: now + 60 });
    expect(tokens.claimsOf('a.b.d')).toBeUndefined();
  });

  it('stops at exp plus the clock tolerance, as jsonwebtoken does, and forgets the token', () => {
    const tokens = new VerifiedTokens(TOLERANCE, 10, clock);
    tokens.remember('t', { exp: now + 60 });
    now += 60 + TOLERANCE - 1;
    expect(tokens.claimsOf('t')).toBeDefined();
    now += 1;
    expect(tokens.claimsOf('t')).toBeUndefined();
    now -= 10;
    expect(tokens.claimsOf('t')).toBeUndefined();
  });

  it('starts at nbf minus the clock tolerance', () => {
    const tokens = new VerifiedTokens(TOLERANCE, 10, clock);
    tokens.remember('t', { exp: now + 600, nbf: now + TOLERANCE + 5 });
    expect(tokens.claimsOf('t')).toBeUndefined();
    tokens.remember('t', { exp: now + 600, nbf: now + TOLERANCE });
    expect(tokens.claimsOf('t')).toBeDefined();
  });

  it('does not remember a token without a numeric exp, or with a non-numeric nbf', () => {
    const tokens = new VerifiedTokens(TOLERANCE, 10, clock);
    tokens.remember('no-exp', { sub: 'x' });
    tokens.remember('string-exp', { exp: String(now + 60) });
    tokens.remember('string-nbf', { exp: now + 60, nbf: String(now) });
    for (const token of ['no-exp', 'string-exp', 'string-nbf']) expect(tokens.claimsOf(token)).toBeUndefined();
  });

  it('keeps its own frozen copy of the claims', () => {
    const tokens = new VerifiedTokens(TOLERANCE, 10, clock);
    const claims: Record<string, unknown> = { sub: 'johndoe', exp: now + 60 };
    tokens.remember('t', claims);
    claims.sub = 'mallory';
    const remembered = tokens.claimsOf('t') as Record<string, unknown>;
    expect(remembered.sub).toBe('johndoe');
    expect(Object.isFrozen(remembered)).toBe(true);
  });

  it('forgets the oldest tokens beyond its size', () => {
    const tokens = new VerifiedTokens(TOLERANCE, 3, clock);
    for (const token of ['t1', 't2', 't3', 't4']) tokens.remember(token, { exp: now + 60 });
    expect(tokens.claimsOf('t1')).toBeUndefined();
    for (const token of ['t2', 't3', 't4']) expect(tokens.claimsOf(token)).toBeDefined();
  });
});
