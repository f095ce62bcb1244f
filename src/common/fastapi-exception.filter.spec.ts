import { jest } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { FastApiExceptionFilter } from './fastapi-exception.filter.js';
import { RouteTable } from './route-table.js';

function answer(exception: unknown, url = '/x', routes = new RouteTable(), method = 'GET') {
  const sent: { status?: number; headers?: Record<string, string>; body?: unknown } = {};
  const reply = {
    sent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    headers(values: Record<string, string>) {
      sent.headers = values;
      return this;
    },
    send(body: unknown) {
      sent.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ method, url }) }),
  } as unknown as ArgumentsHost;
  const filter = new FastApiExceptionFilter(routes);
  filter.catch(exception, host);
  return sent;
}

describe('FastApiExceptionFilter', () => {
  // The failures it logs are provoked here on purpose.
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('answers 503 with Retry-After when the database cannot be reached', () => {
    const sent = answer(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    expect(sent).toEqual({ status: 503, headers: { 'Retry-After': '1' }, body: { detail: 'Service Unavailable' } });
  });

  it('answers 500 without the error text for anything unexpected', () => {
    const sent = answer(new TypeError('secret internals'));
    expect(sent).toEqual({ status: 500, headers: {}, body: { detail: 'Internal Server Error' } });
  });

  it('adds WWW-Authenticate: Bearer to every 401', () => {
    expect(answer(new UnauthorizedException()).headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
  });

  it('turns a framework 404 into {"detail": "Not Found"}, or 405 with Allow for a known path', () => {
    const routes = new RouteTable();
    routes.add(['GET', 'HEAD'], '/users/me');
    expect(answer(new NotFoundException('Cannot GET /nope'), '/nope', routes).body).toEqual({ detail: 'Not Found' });
    expect(answer(new NotFoundException('Cannot PUT /users/me/'), '/users/me/', routes, 'PUT')).toEqual({
      status: 405,
      headers: { Allow: 'GET, HEAD' },
      body: { detail: 'Method Not Allowed' },
    });
  });

  it("keeps a route's own 404 a 404 when the method is allowed", () => {
    const routes = new RouteTable();
    routes.add(['GET', 'HEAD'], '/users/me');
    expect(answer(new NotFoundException(), '/users/me', routes, 'GET')).toEqual({ status: 404, headers: {}, body: { detail: 'Not Found' } });
  });
});
