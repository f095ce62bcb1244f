// Route-level access rules. Every route is protected by the global JWT guard unless it says
// `@Public()`. `@Authenticated({ scopes, superuser })` is the one place a route states what it
// needs: the guard enforces it and the same call writes it into OpenAPI, so the two cannot drift.
import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOAuth2, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorDetail } from '../common/error-detail.dto.js';
import type { User } from '../users/user.entity.js';
import type { Scope } from './scopes.js';

export const IS_PUBLIC = 'auth:isPublic';
export const ACCESS_RULE = 'auth:accessRule';
export const OAUTH2_SCHEME = 'OAuth2PasswordBearer';

export interface AccessRule {
  /** Scopes the token must carry. */
  scopes?: Scope[];
  /** Only superusers; checked before the scopes. */
  superuser?: boolean;
}

/** Open to everyone: the global guard lets the request through without a token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Needs a valid bearer token of an active user, and whatever `rule` adds. */
export const Authenticated = (rule: AccessRule = {}) => {
  const forbidden = rule.superuser || (rule.scopes?.length ?? 0) > 0;
  return applyDecorators(
    SetMetadata(ACCESS_RULE, rule),
    ApiOAuth2(rule.scopes ?? [], OAUTH2_SCHEME),
    ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token', type: ErrorDetail }),
    ApiBadRequestResponse({ description: 'Inactive user', type: ErrorDetail }),
    ...(forbidden
      ? [ApiForbiddenResponse({ description: 'Not enough privileges, or a token without the scope', type: ErrorDetail })]
      : []),
  );
};

/** The user the request's token belongs to (set by the JWT strategy). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User => context.switchToHttp().getRequest<{ user: User }>().user,
);
