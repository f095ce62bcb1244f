import { HttpException, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { isClientCaller, type AuthContext, type Caller } from './auth-context.js';
import {
  clientTokenRefused,
  insufficientScope,
  invalidCredentials,
  InvalidTokenError,
  notAuthenticated,
  notEnoughPrivileges,
} from './auth-errors.js';
import { ACCESS_RULE, IS_PUBLIC, type AccessRule } from './decorators.js';
import { ClientAuthentication } from '../clients/client-authentication.js';
import { readTokenForm, type TokenForm } from './token-form.js';

/** True when the request carries `Authorization: Bearer …`, whatever follows the scheme. */
function hasBearerScheme(request: FastifyRequest): boolean {
  const header = request.headers.authorization ?? '';
  return header.split(' ', 1)[0].toLowerCase() === 'bearer';
}

/**
 * `POST /token`: the form is read and validated here, once, before Passport's local strategy sees it
 * (guards run before pipes, and passport-local would otherwise fall back to the query string). The
 * body becomes the `TokenForm`, which the handler takes with `@TokenFormBody()`. A refresh grant
 * carries no password: the controller checks its refresh token. A client_credentials grant carries
 * the client, authenticated here (RFC 6749 §2.3.1). A password grant that names a registered client
 * must authenticate as it, before any password is hashed; one that names none is the tutorial's.
 */
@Injectable()
export class TokenFormGuard extends AuthGuard('local') {
  constructor(private readonly clients: ClientAuthentication) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const form = readTokenForm(request);
    const authorization = request.headers.authorization;
    if (form.grant === 'client_credentials') {
      request.body = { ...form, client: await this.clients.authenticate(authorization, form) } satisfies TokenForm;
      return true;
    }
    if (form.grant === 'authorization_code') {
      request.body = { ...form, client: await this.clients.exchangingClient(authorization, form) } satisfies TokenForm;
      return true;
    }
    if (form.grant === 'refresh_token') {
      request.body = { ...form, clientId: await this.clients.refreshingClientId(authorization, form) } satisfies TokenForm;
      return true;
    }
    request.body = form;
    await this.clients.authenticateIfRegistered(authorization, form);
    return (await super.canActivate(context)) as boolean;
  }
}

/** What a route asks of its caller, from its decorators. */
interface RouteAccess {
  isPublic: boolean;
  rule: AccessRule | undefined;
}

/** Global: every route needs a valid bearer token of an active user unless it is `@Public()`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  /** By handler: decorators do not change once the application runs, and reading them costs. */
  private readonly accessByHandler = new WeakMap<object, RouteAccess>();

  constructor(private readonly reflector: Reflector) {
    super();
  }

  private accessOf(context: ExecutionContext): RouteAccess {
    const handler = context.getHandler();
    let access = this.accessByHandler.get(handler);
    if (!access) {
      const targets = [handler, context.getClass()];
      access = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
        rule: this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets),
      };
      this.accessByHandler.set(handler, access);
    }
    return access;
  }

  override canActivate(context: ExecutionContext) {
    return this.accessOf(context).isPublic ? true : super.canActivate(context);
  }

  /**
   * `auth` is the JWT strategy's result, which Passport then puts on the request for `@Auth()`. A
   * disabled user's token never gets here: the strategy answers `400 Inactive user` itself.
   */
  override handleRequest<TAuth = AuthContext>(err: unknown, auth: unknown, _info: unknown, context: ExecutionContext): TAuth {
    if (err instanceof HttpException) throw err;
    if (err && !(err instanceof InvalidTokenError)) throw err;
    if (err || !auth) {
      throw hasBearerScheme(context.switchToHttp().getRequest<FastifyRequest>()) ? invalidCredentials() : notAuthenticated();
    }
    // Every bearer route acts for a user: a client's own token has no user to act for.
    if (isClientCaller(auth as Caller)) throw clientTokenRefused();
    this.checkAccessRule(context, auth as AuthContext);
    return auth as TAuth;
  }

  /** Superuser first, then scopes: a non-superuser learns nothing about which scope was missing. */
  private checkAccessRule(context: ExecutionContext, { user, scopes }: AuthContext): void {
    const { rule } = this.accessOf(context);
    if (!rule) return;
    if (rule.superuser && !user.isSuperuser) throw notEnoughPrivileges();
    const missing = (rule.scopes ?? []).filter((scope) => !scopes.includes(scope));
    if (missing.length > 0) throw insufficientScope(missing);
  }
}
