import { HttpException } from '@nestjs/common';
import { formatScopes, grantClientScopes, grantScopes, parseScopes, scopesOfClaim } from './scopes.js';

describe('scopes', () => {
  it('grants "me items" when none are asked for', () => {
    expect(formatScopes(grantScopes(parseScopes(''), true))).toBe('me items');
    expect(formatScopes(grantScopes(parseScopes(undefined), false))).toBe('me items');
  });

  it('grants admin only to a superuser who asks for it', () => {
    expect(grantScopes(parseScopes('admin me'), true)).toEqual(['me', 'admin']);
    expect(grantScopes(parseScopes('admin me'), false)).toEqual(['me']);
    expect(grantScopes(parseScopes('admin'), false)).toEqual([]);
  });

  it('grants only what was asked for', () => {
    expect(grantScopes(parseScopes('items'), true)).toEqual(['items']);
  });

  it('refuses an unknown scope with invalid_scope', () => {
    const error = (() => {
      try {
        parseScopes('me write:everything');
      } catch (caught) {
        return caught as HttpException;
      }
      throw new Error('expected an error');
    })();
    expect(error.getStatus()).toBe(400);
    expect(error.getResponse()).toEqual({ detail: 'Invalid scope: write:everything', error: 'invalid_scope' });
  });

  it('reads a claim, ignoring names it does not know', () => {
    expect(scopesOfClaim('me bogus items')).toEqual(['me', 'items']);
    expect(scopesOfClaim(42)).toEqual([]);
  });
});

/** The body of the exception `grant` throws. */
function refusalOf(grant: () => unknown): unknown {
  try {
    grant();
  } catch (error) {
    return (error as HttpException).getResponse();
  }
  throw new Error('granted');
}

describe('grantClientScopes', () => {
  it('grants every scope the client may have when it asks for none', () => {
    expect(grantClientScopes([], ['me', 'items'])).toEqual(['me', 'items']);
  });

  it('grants what it asks for, in a fixed order', () => {
    expect(grantClientScopes(['items', 'me'], ['me', 'items'])).toEqual(['me', 'items']);
    expect(grantClientScopes(['items'], ['me', 'items'])).toEqual(['items']);
  });

  it('refuses a scope the client is not registered for with 400 invalid_scope', () => {
    expect(refusalOf(() => grantClientScopes(['me'], ['items']))).toEqual({ detail: 'Scope not allowed for this client: me', error: 'invalid_scope' });
  });

  it('never grants admin', () => {
    expect(refusalOf(() => grantClientScopes(['admin'], ['me']))).toEqual({ detail: 'Scope not allowed for this client: admin', error: 'invalid_scope' });
    expect(grantClientScopes([], ['me', 'admin'] as never)).toEqual(['me']);
  });
});
