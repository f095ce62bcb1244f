import type { ExecutionContext } from '@nestjs/common';
import { actsAsAdmin, AUTH_PROPERTY, strategyResult, type AuthContext } from './auth-context.js';
import type { User } from '../users/user.entity.js';

function contextOf(request: object): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

describe('the @Auth() and @LoggedInUser() factory', () => {
  it("gives the strategy's result that Passport put on the request", () => {
    const auth: AuthContext = { user: { username: 'johndoe' } as User, sessionId: 's1', scopes: ['me'] };
    expect(strategyResult(undefined, contextOf({ [AUTH_PROPERTY]: auth }))).toBe(auth);
  });

  it('gives nothing where no strategy ran (a refresh grant at /token)', () => {
    expect(strategyResult(undefined, contextOf({}))).toBeUndefined();
  });

  it("never reads Passport's default `user` property", () => {
    expect(strategyResult(undefined, contextOf({ user: { username: 'mallory' } }))).toBeUndefined();
  });
});

describe('actsAsAdmin', () => {
  const caller = (isSuperuser: boolean, scopes: AuthContext['scopes']): AuthContext => ({ user: { isSuperuser } as User, sessionId: 's1', scopes });

  it('needs both the superuser flag and the admin scope', () => {
    expect(actsAsAdmin(caller(true, ['admin', 'me', 'items']))).toBe(true);
    expect(actsAsAdmin(caller(true, ['me', 'items']))).toBe(false);
    expect(actsAsAdmin(caller(false, ['admin', 'me', 'items']))).toBe(false);
    expect(actsAsAdmin(caller(false, ['me', 'items']))).toBe(false);
  });
});
