// The form of `POST /introspect` (RFC 7662 §2.1), read as RFC 6749 §3.2 says an OAuth2 endpoint
// reads its parameters: form-encoded, each at most once, unrecognised ones ignored. A malformed
// request is 400 invalid_request, as every other error of this endpoint, not a 422 detail list:
// the clients of this endpoint are OAuth2 libraries. No DTO class is built or validated for it,
// which keeps the endpoint about as cheap as a bearer-token check (docs/benchmarks.md).
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { invalidRequest } from './auth-errors.js';

/** The parameters an introspection request may carry; an empty value counts as a missing one. */
export interface IntrospectionForm {
  readonly token?: string;
  readonly token_type_hint?: string;
  readonly client_id?: string;
  readonly client_secret?: string;
}

const PARAMETERS = ['token', 'token_type_hint', 'client_id', 'client_secret'] as const;

const FORM_CONTENT_TYPE = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i;

export const parameterRepeated = (name: string) => invalidRequest(`The parameter ${name} was sent more than once`);

/**
 * The parameters of `body`, a parsed form (a repeated field arrives as an array). Anything but a
 * form body is an empty form. 400 invalid_request for a parameter sent more than once.
 */
export function readIntrospectionForm(body: unknown): IntrospectionForm {
  const form: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return form;
  const fields = body as Record<string, unknown>;
  for (const name of PARAMETERS) {
    const value = fields[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw parameterRepeated(name);
    form[name] = value;
  }
  return form;
}

/** The introspection form of the request, as a handler parameter (which no validation pipe sees). */
export const IntrospectionFormBody = createParamDecorator((_data: unknown, context: ExecutionContext): IntrospectionForm => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return readIntrospectionForm(FORM_CONTENT_TYPE.test(request.headers['content-type'] ?? '') ? request.body : undefined);
});
