import { checkAuthorizationRequest, clientAndRedirectUri, parametersOf, stateOf } from './authorization-request.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const CLIENT = { clientId: 'client~0123456789abcdef01234567', redirectUri: 'https://app.example/cb' };
const valid = { response_type: 'code', client_id: CLIENT.clientId, redirect_uri: CLIENT.redirectUri, code_challenge: CHALLENGE, code_challenge_method: 'S256' };

const check = (changes: Record<string, unknown>, registered: ('me' | 'items')[] = ['me', 'items']) =>
  checkAuthorizationRequest({ ...valid, ...changes }, CLIENT, registered);

describe('clientAndRedirectUri', () => {
  it('reads the client id and redirect URI', () => {
    expect(clientAndRedirectUri(valid)).toEqual({ clientId: CLIENT.clientId, redirectUri: CLIENT.redirectUri });
  });

  it.each([
    ['client_id missing', { client_id: undefined }],
    ['client_id empty', { client_id: '' }],
    ['client_id repeated', { client_id: [CLIENT.clientId, CLIENT.clientId] }],
    ['redirect_uri missing', { redirect_uri: undefined }],
    ['redirect_uri repeated', { redirect_uri: [CLIENT.redirectUri, 'https://evil.example/'] }],
  ])('has a problem to show when %s', (_case, changes) => {
    expect(clientAndRedirectUri({ ...valid, ...changes })).toEqual({ problem: expect.any(String) });
  });
});

describe('checkAuthorizationRequest', () => {
  it('accepts a code request with an S256 challenge, granting the registered scopes when none is asked for', () => {
    expect(check({ state: 'xyz' })).toEqual({ request: { ...CLIENT, codeChallenge: CHALLENGE, scopes: ['me', 'items'], state: 'xyz' } });
  });

  it('grants the scopes asked for, in a fixed order', () => {
    expect(check({ scope: 'items me' })).toMatchObject({ request: { scopes: ['me', 'items'] } });
    expect(check({ scope: 'items' })).toMatchObject({ request: { scopes: ['items'] } });
  });

  it.each([
    ['response_type missing', { response_type: undefined }, 'invalid_request'],
    ['response_type token', { response_type: 'token' }, 'unsupported_response_type'],
    ['code_challenge missing', { code_challenge: undefined }, 'invalid_request'],
    ['code_challenge too short', { code_challenge: 'abc' }, 'invalid_request'],
    ['code_challenge with a bad character', { code_challenge: `${CHALLENGE}+` }, 'invalid_request'],
    ['code_challenge_method missing (plain)', { code_challenge_method: undefined }, 'invalid_request'],
    ['code_challenge_method plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['a scope the client is not registered for', { scope: 'me admin' }, 'invalid_scope'],
    ['an unknown scope', { scope: 'write' }, 'invalid_scope'],
    ['a repeated parameter', { scope: ['me', 'me'] }, 'invalid_request'],
    ['a repeated state', { state: ['a', 'b'] }, 'invalid_request'],
  ])('refuses %s', (_case, changes, error) => {
    expect(check(changes)).toEqual({ refusal: { error, description: expect.any(String) } });
  });

  it('refuses a scope outside a narrower registration', () => {
    expect(check({ scope: 'items' }, ['me'])).toMatchObject({ refusal: { error: 'invalid_scope' } });
  });

  it('round-trips through the parameters the pages carry', () => {
    const { request } = check({ state: 'a b&c', scope: 'me' }) as { request: Parameters<typeof parametersOf>[0] };
    expect(check(parametersOf(request))).toEqual({ request });
  });
});

describe('stateOf', () => {
  it('returns the state verbatim, and none when it is repeated', () => {
    expect(stateOf({ state: ' a+b%20 ' })).toBe(' a+b%20 ');
    expect(stateOf({ state: ['a', 'b'] })).toBeUndefined();
    expect(stateOf({})).toBeUndefined();
  });
});
