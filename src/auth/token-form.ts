// The form of `POST /token`, read and validated once, by TokenFormGuard, before any password is
// hashed; the handler takes the result with `@TokenFormBody()`, which no pipe validates again.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { refuseUnstorableStrings } from '../common/fastapi-validation.pipe.js';
import type { OAuthClient } from '../clients/client.entity.js';
import { RequestValidationError, toValidationIssues } from '../common/request-validation.js';
import { TokenRequest } from './dto/token-request.dto.js';
import { parseScopes, type Scope } from './scopes.js';

/** The client credentials a form carries (RFC 6749 §2.3.1), under their form names. */
export interface FormClientFields {
  readonly client_id?: string;
  readonly client_secret?: string;
}

/**
 * A valid `/token` form: the fields its grant uses, the scopes it names and the client fields. A
 * password grant keeps the form's `username` and `password` names, under which passport-local
 * finds them. A client_credentials grant gets its authenticated client from TokenFormGuard.
 */
export type TokenForm =
  | ({ readonly grant: 'password'; readonly username: string; readonly password: string; readonly scopes: Scope[] } & FormClientFields)
  | ({
      readonly grant: 'refresh_token';
      readonly refreshToken: string;
      readonly scopes: Scope[];
      /** The client refreshing, authenticated or (public) named, if any: set by TokenFormGuard. */
      readonly clientId?: string;
    } & FormClientFields)
  | ({ readonly grant: 'client_credentials'; readonly scopes: Scope[]; readonly client?: OAuthClient } & FormClientFields)
  | ({
      readonly grant: 'authorization_code';
      readonly code?: string;
      readonly redirectUri?: string;
      readonly codeVerifier?: string;
      readonly scopes: Scope[];
      /** The client exchanging the code, authenticated or (public) named: set by TokenFormGuard. */
      readonly client?: OAuthClient;
    } & FormClientFields);

const FORM_CONTENT_TYPE = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * The token form as FastAPI reads it: only form bodies count (anything else is an empty form), an
 * empty value is a missing one, each field is a single string, and none holds a NUL byte or a lone surrogate. Unknown
 * scopes are refused here, before any password is hashed.
 */
export function readTokenForm(request: FastifyRequest): TokenForm {
  const isForm = FORM_CONTENT_TYPE.test(request.headers['content-type'] ?? '');
  const body = isForm && typeof request.body === 'object' && request.body !== null ? request.body : {};
  return validateTokenForm(Object.fromEntries(Object.entries(body).filter(([, value]) => value !== '')));
}

/** The token form's fields, checked: a 422 for a missing, over-long or malformed one, a 400 for an unknown scope. */
export function validateTokenForm(fields: Record<string, unknown>): TokenForm {
  // As in every other body (no pipe runs on this one: the local strategy reads it first).
  refuseUnstorableStrings(fields, 'body');
  const form = plainToInstance(TokenRequest, fields);
  const errors = validateSync(form, { whitelist: true });
  if (errors.length > 0) throw new RequestValidationError(toValidationIssues(errors, 'body'));
  const scopes = parseScopes(form.scope);
  const client = { client_id: form.client_id, client_secret: form.client_secret };
  // The validators have made sure each grant has its fields.
  if (form.grant_type === 'refresh_token') return { grant: 'refresh_token', refreshToken: form.refresh_token!, scopes, ...client };
  if (form.grant_type === 'client_credentials') return { grant: 'client_credentials', scopes, ...client };
  if (form.grant_type === 'authorization_code') {
    return { grant: 'authorization_code', code: form.code, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier, scopes, ...client };
  }
  return { grant: 'password', username: form.username!, password: form.password!, scopes, ...client };
}

/** The `TokenForm` that `TokenFormGuard` made the request's body, as a handler parameter. */
export const TokenFormBody = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TokenForm => context.switchToHttp().getRequest<FastifyRequest>().body as TokenForm,
);
