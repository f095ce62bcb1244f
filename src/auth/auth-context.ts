// What a request that passed authentication carries, and the one way a handler reaches it. Passport
// puts a strategy's result on the request under `AUTH_PROPERTY` (PassportModule's `property`); only
// `strategyResult` below reads it, and nothing else is written onto the request.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { OAuthClient } from '../clients/client.entity.js';
import type { User } from '../users/user.entity.js';
import type { Scope } from './scopes.js';

/** A bearer request's caller, as the JWT strategy established it: the token's user, session and scopes. */
export interface AuthContext {
  readonly user: User;
  readonly sessionId: string;
  readonly scopes: readonly Scope[];
}

/**
 * The caller of a `client_credentials` token: an OAuth2 client acting for itself. Every bearer route
 * is a user's, so the global guard refuses these (403) and no handler ever sees one.
 */
export interface ClientAuthContext {
  readonly client: OAuthClient;
  readonly scopes: readonly Scope[];
}

/** Whoever a verified token speaks for, as the token checks (token-checks.ts) establish it. */
export type Caller = AuthContext | ClientAuthContext;

export function isClientCaller(caller: Caller): caller is ClientAuthContext {
  return 'client' in caller;
}

/**
 * Whether the caller may reach other users' accounts and items: a superuser whose token carries
 * `admin`. Without that scope a superuser is an ordinary user (docs/api.md, Scopes).
 */
export function actsAsAdmin(auth: AuthContext): boolean {
  return auth.user.isSuperuser && auth.scopes.includes('admin');
}

/** The request property Passport writes the strategy's result to. */
export const AUTH_PROPERTY = 'auth';

/** The factory of both decorators below: what the route's Passport strategy returned, undefined where none ran. */
export function strategyResult(_data: unknown, context: ExecutionContext): unknown {
  return context.switchToHttp().getRequest<{ [AUTH_PROPERTY]?: unknown }>()[AUTH_PROPERTY];
}

/** `@Auth() auth: AuthContext`: the caller of an `@Authenticated()` route. */
export const Auth = createParamDecorator(strategyResult);

/**
 * `POST /token`: the user whose password the local strategy checked. Undefined for the refresh
 * grant, which `TokenFormGuard` lets through without it.
 */
export const LoggedInUser = createParamDecorator(strategyResult);
