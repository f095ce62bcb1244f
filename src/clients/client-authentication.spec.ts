import type { HttpException } from '@nestjs/common';
import { HttpErrorWithHeaders } from '../common/http-error.js';
import { basicCredentialsHeader } from './client-credentials.js';
import { presentedClientCredentials } from './client-authentication.js';

function refusal(present: () => unknown): { status: number; body: unknown; headers?: Record<string, string> } {
  try {
    present();
  } catch (error) {
    const exception = error as HttpException;
    return { status: exception.getStatus(), body: exception.getResponse(), headers: error instanceof HttpErrorWithHeaders ? error.headers : undefined };
  }
  throw new Error('accepted');
}

const INVALID_CLIENT = {
  status: 401,
  body: { detail: 'Invalid client credentials', error: 'invalid_client' },
  headers: { 'WWW-Authenticate': 'Basic realm="oauth2-clients"' },
};

describe('presentedClientCredentials', () => {
  it('reads HTTP Basic', () => {
    expect(presentedClientCredentials(basicCredentialsHeader('client~a', 's'), {})).toEqual({ clientId: 'client~a', clientSecret: 's' });
  });

  it('reads the form fields', () => {
    expect(presentedClientCredentials(undefined, { client_id: 'client~a', client_secret: 's' })).toEqual({ clientId: 'client~a', clientSecret: 's' });
  });

  it('ignores another Authorization scheme', () => {
    expect(presentedClientCredentials('Bearer x.y.z', { client_id: 'client~a', client_secret: 's' })).toEqual({ clientId: 'client~a', clientSecret: 's' });
  });

  it('answers undefined when there are none', () => {
    expect(presentedClientCredentials(undefined, {})).toBeUndefined();
  });

  it('refuses Basic and form fields at once with 400 invalid_request', () => {
    expect(refusal(() => presentedClientCredentials(basicCredentialsHeader('client~a', 's'), { client_id: 'client~a' }))).toEqual({
      status: 400,
      body: { detail: 'Client credentials were sent both in the Authorization header and in the form', error: 'invalid_request' },
      headers: undefined,
    });
  });

  it('refuses an unreadable Basic header with 401 invalid_client and a Basic challenge', () => {
    expect(refusal(() => presentedClientCredentials('Basic %%%', {}))).toEqual(INVALID_CLIENT);
  });

  it('refuses a form id without its secret, or a secret without its id, with 401 invalid_client', () => {
    expect(refusal(() => presentedClientCredentials(undefined, { client_id: 'client~a' }))).toEqual(INVALID_CLIENT);
    expect(refusal(() => presentedClientCredentials(undefined, { client_secret: 's' }))).toEqual(INVALID_CLIENT);
  });
});
