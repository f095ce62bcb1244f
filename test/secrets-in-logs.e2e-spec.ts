// Secrets never reach the logs. The built server runs at its most verbose level through a whole
// account's life, including failures and bad input that carry secrets in odd places (a query
// string, an over-long field, malformed JSON), and its entire output is searched for every
// password, token and hash it saw.
import { postForm, startBuiltServer } from './support/built-server.js';

type Server = Awaited<ReturnType<typeof startBuiltServer>>;

const PASSWORD = 'first-Pa55word-8d1f3c';
const NEW_PASSWORD = 'second-Pa55word-77e0a9';
const WRONG_PASSWORD = 'wrong-Pa55word-c40b12';

describe('secrets in the logs', () => {
  let server: Server;
  const secrets: string[] = [PASSWORD, NEW_PASSWORD, WRONG_PASSWORD];

  const json = (method: string, path: string, body: unknown, token?: string) =>
    fetch(`${server.base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const withToken = (method: string, path: string, token: string) =>
    fetch(`${server.base}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
  const tokens = async (body: string) => {
    const response = await postForm(`${server.base}/token`, body);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { access_token: string; refresh_token: string };
    secrets.push(answer.access_token, answer.refresh_token, ...answer.access_token.split('.').slice(1));
    return answer;
  };

  beforeAll(async () => {
    server = await startBuiltServer({
      NODE_ENV: 'development',
      SECRET_KEY: 'd6b7fa3bf60182efc1f30c27d2192488aa4cccc1735a8dc526182e85124a8e30',
      DEMO_DATA: 'true',
      LOG_LEVEL: 'verbose',
      FIRST_SUPERUSER: 'chief',
      FIRST_SUPERUSER_PASSWORD: 'root-Pa55word-51aa07',
      HASH_QUEUE_LIMIT: '1000',
    });
    secrets.push('root-Pa55word-51aa07', 'd6b7fa3bf60182efc1f30c27d2192488aa4cccc1735a8dc526182e85124a8e30');
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('logs no password, token, key or hash through sign-up, logins, refresh, changes and logout', async () => {
    expect((await json('POST', '/users/signup', { username: 'logged', password: PASSWORD, full_name: 'Logged User' })).status).toBe(201);
    expect((await postForm(`${server.base}/token`, `username=logged&password=${WRONG_PASSWORD}`)).status).toBe(401);
    expect((await postForm(`${server.base}/token?password=${WRONG_PASSWORD}`, `username=logged&password=${WRONG_PASSWORD}`)).status).toBe(401);
    expect((await json('POST', '/users/signup', { username: 'x', password: `${WRONG_PASSWORD}${'y'.repeat(2000)}` })).status).toBe(422);
    const malformed = await fetch(`${server.base}/users/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"username": "broken", "password": "${WRONG_PASSWORD}"`,
    });
    expect(malformed.status).toBe(422);

    const first = await tokens(`username=logged&password=${PASSWORD}`);
    expect((await withToken('GET', '/users/me/', first.access_token)).status).toBe(200);
    const refreshed = await tokens(`grant_type=refresh_token&refresh_token=${first.refresh_token}`);
    // Reuse of the retired refresh token: the session ends, and the event is logged without the token.
    expect((await postForm(`${server.base}/token`, `grant_type=refresh_token&refresh_token=${first.refresh_token}`)).status).toBe(400);
    expect((await withToken('GET', '/users/me/', refreshed.access_token)).status).toBe(401);

    const second = await tokens(`username=logged&password=${PASSWORD}`);
    expect((await json('PATCH', '/users/me/password', { current_password: WRONG_PASSWORD, new_password: NEW_PASSWORD }, second.access_token)).status).toBe(400);
    expect((await json('PATCH', '/users/me/password', { current_password: PASSWORD, new_password: NEW_PASSWORD }, second.access_token)).status).toBe(200);
    const third = await tokens(`username=logged&password=${NEW_PASSWORD}`);
    expect((await postForm(`${server.base}/revoke`, `token=${third.refresh_token}`)).status).toBe(200);

    const admin = await tokens('username=chief&password=root-Pa55word-51aa07&scope=admin me items');
    expect((await json('PATCH', '/users/logged', { password: PASSWORD }, admin.access_token)).status).toBe(200);
    const last = await tokens(`username=logged&password=${PASSWORD}`);
    expect((await withToken('POST', '/logout', last.access_token)).status).toBe(204);
    expect((await withToken('GET', '/users/me/', `${last.access_token}x`)).status).toBe(401);

    await server.stop();
    const output = server.output();
    expect(output.length).toBeGreaterThan(0);
    const leaked = secrets.filter((secret) => output.includes(secret));
    expect(leaked).toEqual([]);
    expect(output).not.toMatch(/\$argon2id?\$|\$2[aby]\$|pbkdf2_sha256\$/);
    expect(output).not.toMatch(/Bearer\s+ey/i);
  });
});
