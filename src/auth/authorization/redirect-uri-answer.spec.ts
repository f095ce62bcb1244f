import { codeRedirect, refusalRedirect, withQueryParameters } from './redirect-uri-answer.js';

describe('withQueryParameters', () => {
  it('starts a query on a URI without one', () => {
    expect(withQueryParameters('https://app.example/cb', { code: 'abc', state: 'xyz' })).toBe('https://app.example/cb?code=abc&state=xyz');
  });

  it('adds to the query a URI already has, keeping it as registered', () => {
    expect(withQueryParameters('https://app.example/cb?tenant=a%20b', { code: 'abc' })).toBe('https://app.example/cb?tenant=a%20b&code=abc');
    expect(withQueryParameters('https://app.example/cb?', { code: 'abc' })).toBe('https://app.example/cb?code=abc');
    expect(withQueryParameters('https://app.example/cb?x=1&', { code: 'abc' })).toBe('https://app.example/cb?x=1&code=abc');
  });

  it('percent-encodes names and values, leaving out undefined ones', () => {
    expect(withQueryParameters('com.example.app:/cb', { state: 'a b&c=d/é', skipped: undefined })).toBe('com.example.app:/cb?state=a%20b%26c%3Dd%2F%C3%A9');
  });
});

describe('the answers', () => {
  it('sends a refusal with error, description, state and issuer', () => {
    const url = new URL(refusalRedirect('https://app.example/cb?k=v', { error: 'invalid_scope', description: 'No: admin' }, 's 1', 'https://id.example'));
    expect([...url.searchParams]).toEqual([['k', 'v'], ['error', 'invalid_scope'], ['error_description', 'No: admin'], ['state', 's 1'], ['iss', 'https://id.example']]);
  });

  it('sends a code with state and issuer, and no state when none was given', () => {
    expect(codeRedirect('https://app.example/cb', 'c0de', undefined, 'https://id.example')).toBe('https://app.example/cb?code=c0de&iss=https%3A%2F%2Fid.example');
  });
});
