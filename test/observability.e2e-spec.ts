// What an operator sees: JSON log lines per request (request id, method, route, status, latency),
// audit events carrying the same request id, Prometheus metrics behind a bearer token, and a
// SIGTERM that lets in-flight requests finish. The built server, as it runs in production.
import { postForm, startBuiltServer } from './support/built-server.js';

type Server = Awaited<ReturnType<typeof startBuiltServer>>;
type Line = Record<string, unknown>;

const METRICS_TOKEN = 'metrics-e2e-token-6f1c0d2e9a';

function lines(server: Server): Line[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line);
}

describe('logs, audit events and metrics', () => {
  let server: Server;

  beforeAll(async () => {
    server = await startBuiltServer({
      NODE_ENV: 'development',
      SECRET_KEY: 'e9193e63bc49ffa4fd266a53b850c895884d0831fcf62c58efae0ded39cf9d34',
      DEMO_DATA: 'true',
      LOG_LEVEL: 'info',
      METRICS_TOKEN,
      LOGIN_MAX_FAILURES: '2',
      LOGIN_DELAY_MAX_MS: '0',
      FIRST_SUPERUSER: 'opsadmin',
      FIRST_SUPERUSER_PASSWORD: 'root-password-for-observability',
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  // A line is written as its request ends, and reaches this process a moment later (longer on a
  // busy machine): polled until it shows, the deadline only for a line that never comes.
  const waitForLine = async (match: (line: Line) => boolean): Promise<Line> => {
    for (const deadline = Date.now() + 30_000; ; ) {
      const found = lines(server).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such log line in:\n${server.output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('echoes a safe X-Request-ID and logs the request under it, without the query string', async () => {
    const response = await fetch(`${server.base}/users/me/?token=query-secret`, { headers: { 'X-Request-ID': 'trace-42.a' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('trace-42.a');
    const line = await waitForLine((l) => l.request_id === 'trace-42.a');
    expect(line).toMatchObject({ level: 'info', req: { method: 'GET', path: '/users/me/' }, route: '/users/me', res: { status: 401 } });
    expect(typeof line.latency_ms).toBe('number');
    expect(server.output()).not.toContain('query-secret');
  });

  it('replaces an unsafe or over-long X-Request-ID by a UUID', async () => {
    for (const offered of ['has space', 'x'.repeat(65), '<script>']) {
      const response = await fetch(`${server.base}/health/live`, { headers: { 'X-Request-ID': offered } });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const generated = await fetch(`${server.base}/health/live`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs unknown routes too, as unmatched', async () => {
    const response = await fetch(`${server.base}/no/such/route`, { headers: { 'X-Request-ID': 'lost-1' } });
    expect(response.status).toBe(404);
    expect(await waitForLine((l) => l.request_id === 'lost-1')).toMatchObject({ route: '(unmatched)', res: { status: 404 } });
  });

  it('writes audit events for logins, failures and lock-outs, with the request id and no secret', async () => {
    const ok = await fetch(`${server.base}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Request-ID': 'login-ok' },
      body: 'username=johndoe&password=secret',
    });
    expect(ok.status).toBe(200);
    expect(await waitForLine((l) => l.audit === 'login.succeeded' && l.request_id === 'login-ok')).toMatchObject({
      username: 'johndoe',
      scope: 'me items',
      address: '127.0.0.1',
    });

    for (let i = 0; i < 2; i += 1) expect((await postForm(`${server.base}/token`, 'username=alice&password=wrong-guess-1')).status).toBe(401);
    expect((await postForm(`${server.base}/token`, 'username=alice&password=secret')).status).toBe(429);
    expect(await waitForLine((l) => l.audit === 'login.failed' && l.username === 'alice')).toMatchObject({ reason: 'wrong_password' });
    expect(await waitForLine((l) => l.audit === 'login.locked_out')).toMatchObject({ username: 'alice' });

    expect((await postForm(`${server.base}/token`, 'username=typed-my-Pa55word&password=x')).status).toBe(401);
    expect(await waitForLine((l) => l.audit === 'login.failed' && l.reason === 'unknown_user')).not.toHaveProperty('username');
    expect(server.output()).not.toMatch(/wrong-guess-1|typed-my-Pa55word/);
  });

  it('logs refresh-token reuse and the session it ended, under the request that reused it', async () => {
    const login = (await (await postForm(`${server.base}/token`, 'username=mike&password=password')).json()) as { refresh_token: string };
    const refresh = (requestId: string) =>
      fetch(`${server.base}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Request-ID': requestId },
        body: `grant_type=refresh_token&refresh_token=${login.refresh_token}`,
      });
    expect((await refresh('refresh-1')).status).toBe(200);
    expect((await refresh('refresh-again')).status).toBe(400);
    const reuse = await waitForLine((l) => l.audit === 'token.refresh_reuse');
    expect(reuse).toMatchObject({ request_id: 'refresh-again', address: '127.0.0.1' });
    expect(await waitForLine((l) => l.audit === 'session.ended' && l.session_id === reuse.session_id)).toMatchObject({ request_id: 'refresh-again' });
  });

  it('names the request in the audit line of a logout and of an administrator change', async () => {
    const token = ((await (await postForm(`${server.base}/token`, 'username=johndoe&password=secret')).json()) as { access_token: string }).access_token;
    const logout = await fetch(`${server.base}/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'X-Request-ID': 'bye-1' } });
    expect(logout.status).toBe(204);
    expect(await waitForLine((l) => l.audit === 'session.ended' && l.request_id === 'bye-1')).toMatchObject({ address: '127.0.0.1' });

    const root = ((await (await postForm(`${server.base}/token`, 'username=opsadmin&password=root-password-for-observability&scope=admin')).json()) as { access_token: string }).access_token;
    const disable = await fetch(`${server.base}/users/eve`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${root}`, 'Content-Type': 'application/json', 'X-Request-ID': 'admin-7' },
      body: JSON.stringify({ disabled: true }),
    });
    expect(disable.status).toBe(200);
    expect(await waitForLine((l) => l.audit === 'admin.user_changed' && l.request_id === 'admin-7')).toMatchObject({ actor: 'opsadmin', username: 'eve', fields: ['disabled'] });
  });

  it('serves Prometheus metrics only with METRICS_TOKEN', async () => {
    expect((await fetch(`${server.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.base}/metrics`, { headers: { Authorization: 'Bearer wrong-token-0000000000' } })).status).toBe(401);
    const response = await fetch(`${server.base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/users\/me",status_code="401"\} [1-9]/m);
    expect(text).toMatch(/^auth_events_total\{event="login.succeeded"\} [1-9]/m);
    expect(text).toMatch(/^auth_events_total\{event="login.failed"\} [1-9]/m);
    expect(text).toMatch(/^auth_events_total\{event="login.locked_out"\} [1-9]/m);
    expect(text).toMatch(/^password_hash_queue_depth 0$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});

describe('without METRICS_TOKEN', () => {
  it('has no /metrics route', async () => {
    const server = await startBuiltServer({ NODE_ENV: 'development', SECRET_KEY: 'e9193e63bc49ffa4fd266a53b850c895884d0831fcf62c58efae0ded39cf9d34', LOG_LEVEL: 'warn' });
    try {
      const response = await fetch(`${server.base}/metrics`);
      expect([response.status, await response.json()]).toEqual([404, { detail: 'Not Found' }]);
    } finally {
      await server.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests on kept-alive connections after SIGTERM, then exits 0', async () => {
    const server = await startBuiltServer({
      NODE_ENV: 'development',
      SECRET_KEY: 'e9193e63bc49ffa4fd266a53b850c895884d0831fcf62c58efae0ded39cf9d34',
      DEMO_DATA: 'true',
      LOG_LEVEL: 'warn',
      METRICS_TOKEN,
    });
    // Logins take one argon2 verification each, two at a time: once all four are inside the server
    // (hashing or queued, as /metrics shows), the signal finds them in flight.
    let answered = 0;
    const inFlight = Array.from({ length: 4 }, () =>
      postForm(`${server.base}/token`, 'username=johndoe&password=secret').then((response) => {
        answered += 1;
        return response;
      }),
    );
    const inside = async () => {
      const text = await (await fetch(`${server.base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      return gauge('password_hash_running') + gauge('password_hash_queue_depth');
    };
    while ((await inside()) + answered < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    const exitCode = server.signal('SIGTERM');
    const answers = await Promise.all(inFlight);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(await exitCode).toBe(0);
    await expect(fetch(`${server.base}/health/live`)).rejects.toThrow();
  });
});
