// Where a token is checked with the service itself (RFC 7662): once its signature holds, the service
// is asked whether the token is still active, which it is not once its session has ended (a logout,
// a password change, a disabled user). That costs one call per request. Nothing is cached here: a
// cache would reopen, for as long as it keeps an answer, the window this check exists to close.
import { CanActivate, ExecutionContext, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { bearerToken } from './signature.strategy.js';
import { ResourceServerSettings } from './settings.js';

@Injectable()
export class TokenIntrospection {
  private readonly authorization: string;

  constructor(private readonly settings: ResourceServerSettings) {
    // HTTP Basic with the client's credentials, each form-encoded first (RFC 6749 §2.3.1).
    const credentials = `${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`;
    this.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }

  /** Whether the service still accepts `token`; throws when the service cannot be asked. */
  async isActive(token: string): Promise<boolean> {
    const response = await fetch(this.settings.introspectionEndpoint, {
      method: 'POST',
      headers: { Authorization: this.authorization, Accept: 'application/json' },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
      signal: AbortSignal.timeout(5_000),
    }).catch(() => undefined);
    // Fail closed: an unanswered question is not a yes.
    if (!response?.ok) throw new ServiceUnavailableException('The authorization server could not be asked about the token');
    const answer = (await response.json()) as { active?: unknown };
    return answer.active === true;
  }
}

/** Lets a request through only when the service says its bearer token is active; runs after the signature check. */
@Injectable()
export class ActiveTokenGuard implements CanActivate {
  constructor(private readonly introspection: TokenIntrospection) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const token = bearerToken(context.switchToHttp().getRequest());
    if (!token || !(await this.introspection.isActive(token))) throw new UnauthorizedException();
    return true;
  }
}
