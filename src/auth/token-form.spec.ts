import { jest } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import { MULTIPART_FIELD_MAX_BYTES } from '../common/multipart-values.js';
import { RequestValidationError } from '../common/request-validation.js';
import { TOKEN_FORM_MAX_LENGTH } from './dto/token-request.dto.js';
import { readTokenForm } from './token-form.js';

const FORM = 'application/x-www-form-urlencoded';

function formRequest(body: Record<string, unknown>): FastifyRequest {
  return { headers: { 'content-type': FORM }, body } as unknown as FastifyRequest;
}

function issuesOf(body: Record<string, unknown>): unknown {
  try {
    readTokenForm(formRequest(body));
  } catch (error) {
    if (error instanceof RequestValidationError) return error.issues;
    throw error;
  }
  throw new Error('no validation error');
}

const tooLong = (field: string, max: number, input?: string) => ({
  type: 'string_too_long',
  loc: ['body', field],
  msg: `String should have at most ${max} characters`,
  ...(input === undefined ? {} : { input }),
  ctx: { max_length: max },
});

describe('the /token form', () => {
  afterEach(() => jest.restoreAllMocks());

  it('takes a username of 254 characters, the longest email address', () => {
    const username = `${'a'.repeat(242)}@example.com`;
    expect(username).toHaveLength(254);
    expect(readTokenForm(formRequest({ username, password: 'x' }))).toMatchObject({ grant: 'password', username });
  });

  it("answers a username of 255 characters with FastAPI's string_too_long, echoing it", () => {
    const username = 'a'.repeat(255);
    expect(issuesOf({ username, password: 'x' })).toEqual([tooLong('username', 254, username)]);
  });

  it('refuses a megabyte username without ever normalising it', () => {
    const normalize = jest.spyOn(String.prototype, 'normalize');
    const username = `a${'\uFDFA'.repeat(340_000)}`;
    expect(issuesOf({ username, password: 'x' })).toEqual([tooLong('username', 254, username)]);
    expect(normalize).not.toHaveBeenCalled();
  });

  it.each([
    ['password', { username: 'johndoe' }],
    ['client_secret', { username: 'johndoe', password: 'secret' }],
    ['refresh_token', { grant_type: 'refresh_token' }],
  ])('answers an over-long %s with string_too_long, never echoing the secret', (field, rest) => {
    const max = TOKEN_FORM_MAX_LENGTH[field as keyof typeof TOKEN_FORM_MAX_LENGTH];
    expect(issuesOf({ ...rest, [field]: 'x'.repeat(max + 1) })).toEqual([tooLong(field, max)]);
  });

  it.each(['scope', 'client_id'])('answers an over-long %s with string_too_long', (field) => {
    const max = TOKEN_FORM_MAX_LENGTH[field as keyof typeof TOKEN_FORM_MAX_LENGTH];
    const value = 'me '.repeat(max).slice(0, max + 1);
    expect(issuesOf({ username: 'johndoe', password: 'secret', [field]: value })).toEqual([tooLong(field, max, value)]);
  });

  it('bounds the fields a grant does not use too', () => {
    expect(issuesOf({ grant_type: 'refresh_token', refresh_token: 'r', username: 'u'.repeat(300) })).toEqual([
      tooLong('username', 254, 'u'.repeat(300)),
    ]);
    expect(issuesOf({ username: 'johndoe', password: 'secret', refresh_token: 'r'.repeat(513) })).toEqual([tooLong('refresh_token', 512)]);
  });

  it('still takes every field at its longest', () => {
    const form = Object.fromEntries(Object.entries(TOKEN_FORM_MAX_LENGTH).map(([field, max]) => [field, 'm'.repeat(max)]));
    delete form.scope; // scopes are names from a list, checked after the bounds
    expect(() => readTokenForm(formRequest(form))).not.toThrow();
  });

  it('keeps multipart fields large enough that a value cut at the limit always breaks its bound', () => {
    // UTF-8 spends at most 3 bytes on a UTF-16 code unit, so a cut value is over a third of the limit long.
    const longest = Math.max(...Object.values(TOKEN_FORM_MAX_LENGTH));
    expect(Math.floor(MULTIPART_FIELD_MAX_BYTES / 3)).toBeGreaterThan(longest);
  });
});
