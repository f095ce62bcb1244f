// Route-level access rules. Every route is protected by the global JWT guard unless it says
// `@Public()`. `@Authenticated({ scopes, superuser })` is the one place a route states what it
// needs: the guard enforces it and the same call writes it into OpenAPI, so the two cannot drift.
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiOAuth2 } from '@nestjs/swagger';
import { ApiErrorResponse } from '../common/error-responses.js';
import { clientTokenRefused, inactiveUser, insufficientScope, invalidCredentials, notAuthenticated, notEnoughPrivileges } from './auth-errors.js';
import type { Scope } from './scopes.js';

export const IS_PUBLIC = 'auth:isPublic';
export const ACCESS_RULE = 'auth:accessRule';
/** The tutorial's scheme: the password flow, as FastAPI's OAuth2PasswordBearer declares it. */
export const OAUTH2_SCHEME = 'OAuth2PasswordBearer';
/** Beside it, the authorization code flow with PKCE, with the docs' public client (src/openapi.ts). */
export const OAUTH2_CODE_SCHEME = 'OAuth2AuthorizationCode';

export interface AccessRule {
  /** Scopes the token must carry. */
  scopes?: Scope[];
  /** Only superusers; checked before the scopes. */
  superuser?: boolean;
}

/** Open to everyone: the global guard lets the request through without a token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Needs a valid bearer token of an active user (never a client's token), and whatever `rule` adds. */
export const Authenticated = (rule: AccessRule = {}) => {
  const scopes = rule.scopes ?? [];
  const forbidden = {
    client_token: clientTokenRefused(),
    ...(rule.superuser ? { not_superuser: notEnoughPrivileges() } : {}),
    ...(scopes.length > 0 ? { missing_scope: insufficientScope(scopes) } : {}),
  };
  return applyDecorators(
    SetMetadata(ACCESS_RULE, rule),
    ApiOAuth2(scopes, OAUTH2_SCHEME),
    // Either scheme's token will do (OpenAPI's security alternatives), but a client's never has admin.
    ...(scopes.includes('admin') ? [] : [ApiOAuth2(scopes, OAUTH2_CODE_SCHEME)]),
    ApiErrorResponse('No bearer token, or one that is invalid, expired or revoked', {
      not_authenticated: notAuthenticated(),
      invalid_token: invalidCredentials(),
    }),
    ApiErrorResponse("The token's user is disabled", { inactive_user: inactiveUser() }),
    ApiErrorResponse(
      ["An OAuth2 client's token (client_credentials)", ...(rule.superuser ? ['not a superuser'] : []), ...(scopes.length > 0 ? ['a token without the scope'] : [])].join(', or '),
      forbidden,
    ),
  );
};
