// Another service trusting this one's tokens, as examples/resource-server does it (docs/resource-servers.md):
// the built service (`node dist/server.js`) signing with ES256 on a database of the suite's own
// (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), and the example, compiled by the project's
// TypeScript into a temporary folder whose node_modules is the project's own (where its pinned
// packages are installed), as a second process. `npm test` builds dist/ first.
import { createHmac, createPublicKey, generateKeyPairSync, sign, type JsonWebKey } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, postForm, startBuiltServer } from './support/built-server.js';
import { runNode, startExampleServer } from './support/example-server.js';
import { createTestDatabase, type TestDatabase } from './support/test-app.js';
import { withinASecond } from './support/within-a-second.js';

const EXAMPLE = join(process.cwd(), 'examples', 'resource-server');
const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const TSC = join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc');
/** How long the service may take to sign with a rotated-in key: JWKS_MAX_AGE_SECONDS (1 here) and a busy machine's slack. */
const ROTATION_DEADLINE_MS = 60_000;

type Server = Awaited<ReturnType<typeof startBuiltServer>>;
type Tokens = { access_token: string; refresh_token: string };

/** The example compiled into a folder of its own, as its `npm start` would (its package.json says "type": "module"). */
async function compileExample(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'oauth2-resource-server-'));
  const compiled = await runNode([TSC, '-p', join(EXAMPLE, 'tsconfig.json'), '--outDir', join(dir, 'dist')]);
  if (compiled.status !== 0) throw new Error(`the example does not compile:\n${compiled.stdout}${compiled.stderr}`);
  copyFileSync(join(EXAMPLE, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** The compiled example on a free port, once it answers HTTP. */
async function startExample(dir: string, env: Record<string, string>) {
  return startExampleServer(join(dir, 'dist', 'main.js'), await freePort(), env, '/signature-checked', dir);
}

/** A JWT's header or claims, decoded without any check. */
function partOf(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8')) as Record<string, unknown>;
}

function encoded(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

describe('a resource server trusting the service’s tokens (examples/resource-server)', () => {
  let database: TestDatabase;
  let exampleDir: string;
  let service: Server;
  let example: Awaited<ReturnType<typeof startExample>>;
  let serviceEnv: Record<string, string>;
  /** Servers a test started besides the suite's own, stopped at the end. */
  const others: Server[] = [];

  /** The built service on a port of its own, whose address is its issuer (PUBLIC_URL). */
  const startService = async (env: Record<string, string> = {}) => {
    const port = await freePort();
    return startBuiltServer({ ...serviceEnv, PUBLIC_URL: `http://127.0.0.1:${port}`, ...env }, { port });
  };

  const cli = async (...args: string[]) => {
    const result = await runNode([CLI, '--default-node-env=development', ...args], { cwd: service.dir, env: { PATH: process.env.PATH ?? '', ...serviceEnv } });
    if (result.status !== 0) throw new Error(`${args[0]} failed with ${result.status}:\n${result.stdout}${result.stderr}`);
    return result.stdout;
  };

  const tokensFrom = async (server: Server, body: string) => {
    const response = await postForm(`${server.base}/token`, body);
    expect(response.status).toBe(200);
    return (await response.json()) as Tokens;
  };
  const login = (server: Server = service) => tokensFrom(server, 'username=johndoe&password=secret');
  const atExample = (path: string, token: string) => fetch(`${example.base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const logout = (token: string) => fetch(`${service.base}/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });

  /** Expects both of the example's routes to refuse `token` as the service would. */
  const expectRefusedByBoth = async (token: string) => {
    for (const path of ['/signature-checked', '/introspected']) {
      const response = await atExample(path, token);
      expect({ path, status: response.status, body: await response.json() }).toEqual({ path, status: 401, body: { detail: 'Could not validate credentials' } });
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    database = await createTestDatabase();
    serviceEnv = {
      NODE_ENV: 'development',
      DEMO_DATA: 'true',
      DATABASE_URL: database.url,
      SECRET_KEY: '5b0d2f6c8e1a4937b6c2d0e8f1a3c5e7d9b2f4a6c8e0d1b3a5c7e9f0a2b4c6d8',
      JWT_ALGORITHM: 'ES256',
      JWKS_MAX_AGE_SECONDS: '1',
      LOG_LEVEL: 'error',
    };
    const [compiled, started] = await Promise.allSettled([compileExample(), startService()]);
    // Kept whichever succeeded, for afterAll to clean up.
    if (compiled.status === 'fulfilled') exampleDir = compiled.value;
    if (started.status === 'fulfilled') service = started.value;
    for (const result of [compiled, started]) if (result.status === 'rejected') throw result.reason;
    const client = JSON.parse(await cli('create-client', 'resource-example', '--scopes', 'me items', '--json')) as { client_id: string; client_secret: string };
    example = await startExample(exampleDir, { ISSUER: service.base, CLIENT_ID: client.client_id, CLIENT_SECRET: client.client_secret });
  });

  afterAll(async () => {
    await example?.stop();
    await Promise.all([service, ...others].map((server) => server?.stop()));
    await database?.drop();
    if (exampleDir) rmSync(exampleDir, { recursive: true, force: true });
  });

  it("accepts a user's token at /signature-checked, by its signature alone", async () => {
    const { access_token } = await login();
    const response = await atExample('/signature-checked', access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: 'johndoe', scope: partOf(access_token, 1).scope ?? '', checked_by: 'signature' });
  });

  it('accepts a live token at /introspected, once the service says it is active', async () => {
    const { access_token } = await login();
    const response = await atExample('/introspected', access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: 'johndoe', scope: partOf(access_token, 1).scope ?? '', checked_by: 'introspection' });
  });

  it('accepts the tokens of a key rotated in after it started, and still those signed before', async () => {
    const before = await login();
    const oldKid = partOf(before.access_token, 0).kid;
    expect(typeof oldKid).toBe('string');
    // The example now holds the old key, and no other.
    expect((await atExample('/signature-checked', before.access_token)).status).toBe(200);

    await cli('rotate-signing-key');
    // The new key is published at once and signs once JWKS_MAX_AGE_SECONDS is over; refreshing asks
    // for a new access token without hashing a password each time.
    let latest = before;
    const deadline = Date.now() + ROTATION_DEADLINE_MS;
    while (partOf(latest.access_token, 0).kid === oldKid) {
      if (Date.now() > deadline) throw new Error(`the service still signs with ${String(oldKid)} ${ROTATION_DEADLINE_MS / 1000} s after the rotation`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      latest = await tokensFrom(service, `grant_type=refresh_token&refresh_token=${latest.refresh_token}`);
    }

    const rotated = await atExample('/signature-checked', latest.access_token);
    expect(rotated.status).toBe(200);
    expect(await rotated.json()).toMatchObject({ sub: 'johndoe', checked_by: 'signature' });
    expect((await atExample('/signature-checked', before.access_token)).status).toBe(200);
  });

  it('refuses at /introspected, at once, a token whose session was logged out', async () => {
    const { access_token } = await login();
    expect((await atExample('/introspected', access_token)).status).toBe(200);
    expect((await logout(access_token)).status).toBe(204);
    // "At once" as the service means it: within the second an instance may reuse what it read
    // (docs/architecture.md, "Caches and their bounds").
    const refused = await withinASecond(
      () => atExample('/introspected', access_token),
      (response) => response.status === 401,
    );
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ detail: 'Could not validate credentials' });
  });

  it('still accepts a logged-out token at /signature-checked, until it expires: the trade-off of checking signatures alone', async () => {
    const { access_token } = await login();
    expect((await logout(access_token)).status).toBe(204);
    const introspected = await withinASecond(
      () => atExample('/introspected', access_token),
      (response) => response.status === 401,
    );
    expect(introspected.status).toBe(401);
    const signatureChecked = await atExample('/signature-checked', access_token);
    expect(signatureChecked.status).toBe(200);
    expect(await signatureChecked.json()).toMatchObject({ sub: 'johndoe', checked_by: 'signature' });
  });

  it("refuses at both routes a token re-signed by another key under the service's kid", async () => {
    const { access_token } = await login();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signingInput = access_token.split('.').slice(0, 2).join('.');
    const forged = `${signingInput}.${sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    await expectRefusedByBoth(forged);
  });

  it("refuses at both routes an HS256 token keyed with the service's public key", async () => {
    const { access_token } = await login();
    const header = partOf(access_token, 0);
    const jwks = (await (await fetch(`${service.base}/.well-known/jwks.json`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
    const jwk = jwks.keys.find((key) => key.kid === header.kid)!;
    const publicPem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const signingInput = `${encoded({ ...header, alg: 'HS256' })}.${access_token.split('.')[1]}`;
    const confused = `${signingInput}.${createHmac('sha256', publicPem).update(signingInput).digest('base64url')}`;
    await expectRefusedByBoth(confused);
  });

  it("refuses at both routes a token signed with the service's key for another issuer", async () => {
    // A second deployment on the same database holds the same signing keys, under another PUBLIC_URL.
    const impostor = await startService({ DEMO_DATA: 'false' });
    others.push(impostor);
    const { access_token } = await login(impostor);
    expect(partOf(access_token, 1).iss).toBe(impostor.base);
    expect(partOf(access_token, 0).kid).toBe(partOf((await login()).access_token, 0).kid);
    await expectRefusedByBoth(access_token);
  });
});
