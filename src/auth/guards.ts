import { HttpException, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { refuseUnstorableStrings } from '../common/fastapi-validation.pipe.js';
import { RequestValidationError, toValidationIssues } from '../common/request-validation.js';
import type { User } from '../users/user.entity.js';
import {
  inactiveUser,
  insufficientScope,
  invalidCredentials,
  InvalidTokenError,
  notAuthenticated,
  notEnoughPrivileges,
} from './auth-errors.js';
import { parseScopes } from './scopes.js';
import { ACCESS_RULE, IS_PUBLIC, type AccessRule } from './decorators.js';
import type { AuthenticatedRequest } from './jwt.strategy.js';
import { TokenRequest } from './dto/token-request.dto.js';

const FORM_CONTENT_TYPE = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * The token form as FastAPI reads it: only form bodies count (anything else is an empty form), an
 * empty value is a missing one, each field is a single string, and none holds a NUL byte or a lone surrogate. Unknown
 * scopes are refused here, before any password is hashed.
 */
export function readTokenForm(request: FastifyRequest): TokenRequest {
  const isForm = FORM_CONTENT_TYPE.test(request.headers['content-type'] ?? '');
  const body = isForm && typeof request.body === 'object' && request.body !== null ? request.body : {};
  return validateTokenForm(Object.fromEntries(Object.entries(body).filter(([, value]) => value !== '')));
}

/** The token form's fields, checked: a 422 for a missing, over-long or malformed one, a 400 for an unknown scope. */
export function validateTokenForm(fields: Record<string, unknown>): TokenRequest {
  // As in every other body (the global pipe runs only after this guard has looked the user up).
  refuseUnstorableStrings(fields, 'body');
  const form = plainToInstance(TokenRequest, fields);
  const errors = validateSync(form, { whitelist: true });
  if (errors.length > 0) throw new RequestValidationError(toValidationIssues(errors, 'body'));
  parseScopes(form.scope);
  return form;
}

/** True when the request carries `Authorization: Bearer …`, whatever follows the scheme. */
function hasBearerScheme(request: FastifyRequest): boolean {
  const header = request.headers.authorization ?? '';
  return header.split(' ', 1)[0].toLowerCase() === 'bearer';
}

/**
 * `POST /token`: the form is validated before Passport's local strategy sees it (guards run before
 * pipes, and passport-local would otherwise fall back to the query string). A refresh grant carries
 * no password: the controller checks its refresh token.
 */
@Injectable()
export class TokenFormGuard extends AuthGuard('local') {
  override canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const form = readTokenForm(request);
    request.body = form;
    return form.grant_type === 'refresh_token' ? true : super.canActivate(context);
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

  override handleRequest<TUser = User>(err: unknown, user: unknown, _info: unknown, context: ExecutionContext): TUser {
    if (err instanceof HttpException) throw err;
    if (err && !(err instanceof InvalidTokenError)) throw err;
    if (err || !user) {
      throw hasBearerScheme(context.switchToHttp().getRequest<FastifyRequest>()) ? invalidCredentials() : notAuthenticated();
    }
    if ((user as User).disabled) throw inactiveUser();
    this.checkAccessRule(context, user as User);
    return user as TUser;
  }

  /** Superuser first, then scopes: a non-superuser learns nothing about which scope was missing. */
  private checkAccessRule(context: ExecutionContext, user: User): void {
    const { rule } = this.accessOf(context);
    if (!rule) return;
    if (rule.superuser && !user.isSuperuser) throw notEnoughPrivileges();
    const granted = context.switchToHttp().getRequest<AuthenticatedRequest>().tokenScopes ?? [];
    const missing = (rule.scopes ?? []).filter((scope) => !granted.includes(scope));
    if (missing.length > 0) throw insufficientScope(missing);
  }
}
