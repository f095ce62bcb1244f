import type { HttpException } from '@nestjs/common';
import { readIntrospectionForm } from './introspection-form.js';

function refusal(read: () => unknown): { status: number; body: unknown } {
  try {
    read();
  } catch (error) {
    const exception = error as HttpException;
    return { status: exception.getStatus(), body: exception.getResponse() };
  }
  throw new Error('accepted');
}

describe('readIntrospectionForm', () => {
  it('reads the four parameters and ignores the others', () => {
    const body = { token: 't', token_type_hint: 'access_token', client_id: 'client~a', client_secret: 's', scope: 'admin', colour: 'blue' };
    expect(readIntrospectionForm(body)).toEqual({ token: 't', token_type_hint: 'access_token', client_id: 'client~a', client_secret: 's' });
  });

  it('takes an empty value for a missing one', () => {
    expect(readIntrospectionForm({ token: 't', client_id: '', client_secret: '' })).toEqual({ token: 't' });
  });

  it('takes anything but an object for an empty form', () => {
    for (const body of [undefined, null, 'token=t', 42]) expect(readIntrospectionForm(body)).toEqual({});
  });

  it('refuses a parameter sent more than once with 400 invalid_request', () => {
    expect(refusal(() => readIntrospectionForm({ token: ['a', 'b'] }))).toEqual({
      status: 400,
      body: { detail: 'The parameter token was sent more than once', error: 'invalid_request' },
    });
    expect(refusal(() => readIntrospectionForm({ token: 't', client_secret: ['a', 'b'] })).status).toBe(400);
  });

  it('reads a form without a prototype, as the form parser makes it', () => {
    const body = Object.assign(Object.create(null), { token: 't', __proto__: 'x' });
    expect(readIntrospectionForm(body)).toEqual({ token: 't' });
  });
});
