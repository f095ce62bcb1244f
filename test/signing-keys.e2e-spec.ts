// Tokens other services can verify: HS256, ES256 and RS256 signing, the published key set
// (RFC 7517), the authorization server's metadata (RFC 8414), keys at rest, and rotation with two
// instances on one database (docs/architecture.md, "Signing keys").
import { spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { MAIN, NODE_FLAGS } from './support/built-server.js';
import { createTestDatabase, login, startApp, TEST_SECRET_KEY, type TestApp, type TestDatabase } from './support/test-app.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const PYTHON = '/usr/bin/python3';
const PUBLIC_URL = 'https://id.example.test';
const OTHER_KEY = '5be5f7c7b8e1a94d2f0c6e3a8b7d9f1e0c2a4b6d8f0e1c3a5b7d9f2e4c6a8b0d';

interface Jwk extends JsonWebKey {
  kid: string;
  alg: string;
  use: string;
}

/** The members a published key may have: public parameters and metadata, nothing else. */
const PUBLIC_MEMBERS = { EC: ['kty', 'kid', 'alg', 'use', 'crv', 'x', 'y'], RSA: ['kty', 'kid', 'alg', 'use', 'n', 'e'] } as const;

async function publishedKeys(service: TestApp): Promise<Jwk[]> {
  const response = await service.http.get('/.well-known/jwks.json').expect(200);
  return (response.body as { keys: Jwk[] }).keys;
}

function headerOf(token: string): jwt.JwtHeader {
  return jwt.decode(token, { complete: true })!.header;
}

/** The token verified as another service would: with the published key its `kid` names. */
function verifiedByJwks(token: string, keys: Jwk[], algorithm: string): jwt.JwtPayload {
  const key = keys.find((candidate) => candidate.kid === headerOf(token).kid);
  if (!key) throw new Error(`no published key ${headerOf(token).kid}`);
  return jwt.verify(token, createPublicKey({ key, format: 'jwk' }), {
    algorithms: [algorithm as jwt.Algorithm],
    issuer: PUBLIC_URL,
    audience: 'oauth2-password-service',
  }) as jwt.JwtPayload;
}

function rotate(database: TestDatabase, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [CLI, 'rotate-signing-key', '--json'], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: database.url, SECRET_KEY: TEST_SECRET_KEY, ...env },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Polls `condition` until it holds; a bound only against a hang, far beyond what it needs. */
async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('signing keys', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  describe.each(['ES256', 'RS256'] as const)('JWT_ALGORITHM=%s', (algorithm) => {
    let service: TestApp;

    beforeEach(async () => {
      service = await startApp(database, { JWT_ALGORITHM: algorithm, PUBLIC_URL });
    });

    afterEach(async () => {
      await service.close();
    });

    it('signs with a private key, names its kid, and accepts its own tokens', async () => {
      const token = await login(service.http, 'johndoe', 'secret');
      const header = headerOf(token);
      expect(header).toEqual({ alg: algorithm, typ: 'JWT', kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      await service.http.get('/users/me/').set('Authorization', `Bearer ${token}`).expect(200);
    });

    it('publishes the key every token can be verified with, and nothing private', async () => {
      const token = await login(service.http, 'johndoe', 'secret');
      const keys = await publishedKeys(service);
      expect(keys).toHaveLength(1);
      for (const key of keys) {
        expect(Object.keys(key).sort()).toEqual([...PUBLIC_MEMBERS[key.kty as 'EC' | 'RSA']].sort());
        expect(key).toMatchObject({ alg: algorithm, use: 'sig', kty: algorithm === 'ES256' ? 'EC' : 'RSA' });
        // Each member parses as public material: a private key has `d` (and RSA's p, q, …).
        expect(createPublicKey({ key, format: 'jwk' }).type).toBe('public');
      }
      expect(verifiedByJwks(token, keys, algorithm)).toMatchObject({ sub: 'johndoe', iss: PUBLIC_URL, aud: 'oauth2-password-service' });
    });

    it('is verified by PyJWT, an independent library in another language', async () => {
      if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing`);
      const token = await login(service.http, 'johndoe', 'secret');
      const keys = await publishedKeys(service);
      const result = spawnSync(PYTHON, [join('test', 'support', 'pyjwt_verify.py'), JSON.stringify({ keys }), token, algorithm, 'oauth2-password-service', PUBLIC_URL], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toMatchObject({ sub: 'johndoe', iss: PUBLIC_URL, scope: 'me items' });
    });

    it('refuses tokens signed with another key, with the public key as an HMAC secret, or unsigned', async () => {
      const token = await login(service.http, 'johndoe', 'secret');
      const claims = jwt.decode(token) as jwt.JwtPayload;
      const [published] = await publishedKeys(service);
      const publicPem = createPublicKey({ key: published, format: 'jwk' }).export({ format: 'pem', type: 'spki' }) as string;
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const forged = [
        jwt.sign(claims, algorithm === 'ES256' ? other : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, { algorithm, keyid: published.kid }),
        jwt.sign(claims, publicPem, { algorithm: 'HS256', keyid: published.kid }),
        jwt.sign(claims, TEST_SECRET_KEY, { algorithm: 'HS256' }),
        `${Buffer.from(JSON.stringify({ alg: 'none', kid: published.kid })).toString('base64url')}.${token.split('.')[1]}.`,
      ];
      for (const bad of forged) {
        const response = await service.http.get('/users/me/').set('Authorization', `Bearer ${bad}`);
        expect({ status: response.status, body: response.body }).toEqual({ status: 401, body: { detail: 'Could not validate credentials' } });
      }
    });
  });

  describe('JWT_ALGORITHM=HS256 (the default)', () => {
    it('publishes no key: the secret verifies, and it is not to be shared', async () => {
      const service = await startApp(database, { PUBLIC_URL });
      try {
        expect(await publishedKeys(service)).toEqual([]);
        const token = await login(service.http, 'johndoe', 'secret');
        expect(headerOf(token).alg).toBe('HS256');
        expect(jwt.decode(token)).toMatchObject({ iss: PUBLIC_URL });
        const rows = await service.app.get(DataSource).query('SELECT kid FROM signing_keys');
        expect(rows).toEqual([]);
      } finally {
        await service.close();
      }
    });

    it('refuses rotate-signing-key, as SECRET_KEY is the key', () => {
      const result = rotate(database, {});
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^Configuration error: JWT_ALGORITHM is HS256, which signs with SECRET_KEY: rotate SECRET_KEY instead/);
    });
  });

  describe('discovery (RFC 8414)', () => {
    it('describes the server with every URL absolute from PUBLIC_URL, and the issuer its tokens carry', async () => {
      const service = await startApp(database, { JWT_ALGORITHM: 'ES256', PUBLIC_URL: `${PUBLIC_URL}/` });
      try {
        const response = await service.http.get('/.well-known/oauth-authorization-server').expect(200);
        const metadata = response.body as Record<string, unknown>;
        // RFC 8414 §2: issuer and response_types_supported are required; the rest are what this server offers.
        expect(metadata).toMatchObject({
          issuer: PUBLIC_URL,
          token_endpoint: `${PUBLIC_URL}/token`,
          jwks_uri: `${PUBLIC_URL}/.well-known/jwks.json`,
          revocation_endpoint: `${PUBLIC_URL}/revoke`,
          introspection_endpoint: `${PUBLIC_URL}/introspect`,
          authorization_endpoint: `${PUBLIC_URL}/authorize`,
          response_types_supported: ['code'],
          grant_types_supported: expect.arrayContaining(['password', 'refresh_token', 'client_credentials', 'authorization_code']),
          code_challenge_methods_supported: ['S256'],
          authorization_response_iss_parameter_supported: true,
          scopes_supported: ['me', 'items', 'admin'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        });
        // §2: the issuer is https with no query or fragment; §3: the metadata is served under it.
        expect(new URL(metadata.issuer as string).protocol).toBe('https:');
        for (const [name, value] of Object.entries(metadata)) {
          if (name.endsWith('_endpoint') || name.endsWith('_uri') || name === 'service_documentation') expect(String(value).startsWith(`${PUBLIC_URL}/`)).toBe(true);
        }
        const token = await login(service.http, 'johndoe', 'secret');
        expect((jwt.decode(token) as jwt.JwtPayload).iss).toBe(metadata.issuer);
        // The keys at jwks_uri verify it.
        expect(verifiedByJwks(token, await publishedKeys(service), 'ES256').sub).toBe('johndoe');
      } finally {
        await service.close();
      }
    });
  });

  describe('keys at rest', () => {
    it('stores private keys only encrypted, and keeps signing with the same key after a restart', async () => {
      let service = await startApp(database, { JWT_ALGORITHM: 'ES256', PUBLIC_URL });
      const kid = headerOf(await login(service.http, 'johndoe', 'secret')).kid;
      const [row] = await service.app.get(DataSource).query('SELECT kid, private_key FROM signing_keys');
      expect(row.kid).toBe(kid);
      expect(row.private_key).toMatch(/^a256gcm\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(row.private_key).not.toContain('PRIVATE KEY');
      await service.close();
      service = await startApp(database, { JWT_ALGORITHM: 'ES256', PUBLIC_URL });
      try {
        expect(headerOf(await login(service.http, 'johndoe', 'secret')).kid).toBe(kid);
      } finally {
        await service.close();
      }
    });

    it('reads them with a previous SECRET_KEY during its rotation, and stores them again under the new one', async () => {
      let service = await startApp(database, { JWT_ALGORITHM: 'RS256', PUBLIC_URL });
      const kid = headerOf(await login(service.http, 'johndoe', 'secret')).kid;
      const [before] = await service.app.get(DataSource).query('SELECT private_key FROM signing_keys');
      await service.close();
      service = await startApp(database, { JWT_ALGORITHM: 'RS256', PUBLIC_URL, SECRET_KEY: OTHER_KEY, PREVIOUS_SECRET_KEYS: TEST_SECRET_KEY });
      try {
        expect(headerOf(await login(service.http, 'johndoe', 'secret')).kid).toBe(kid);
        const [after] = await service.app.get(DataSource).query('SELECT private_key FROM signing_keys');
        expect(after.private_key).not.toBe(before.private_key);
      } finally {
        await service.close();
      }
      // Under the new key alone, now that it was stored again.
      service = await startApp(database, { JWT_ALGORITHM: 'RS256', PUBLIC_URL, SECRET_KEY: OTHER_KEY });
      try {
        expect(headerOf(await login(service.http, 'johndoe', 'secret')).kid).toBe(kid);
      } finally {
        await service.close();
      }
    });

    it('refuses to start when no key it knows opens the signing key, in one line', async () => {
      const service = await startApp(database, { JWT_ALGORITHM: 'ES256', PUBLIC_URL });
      await service.close();
      // The built server, as an operator starts it: the refusal is its one line and exit status 1.
      const result = spawnSync(process.execPath, [...NODE_FLAGS, MAIN], {
        cwd: tmpdir(),
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', JWT_ALGORITHM: 'ES256', PUBLIC_URL, DATABASE_URL: database.url, SECRET_KEY: OTHER_KEY, PORT: '0' },
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /^Configuration error: signing key [\w-]{43} cannot be decrypted with SECRET_KEY or PREVIOUS_SECRET_KEYS: set the key it was made under as SECRET_KEY or in PREVIOUS_SECRET_KEYS\n$/,
      );
    });

    it('keeps the key in memory only when SECRET_KEY is not set (development)', async () => {
      const service = await startApp(database, { JWT_ALGORITHM: 'ES256', NODE_ENV: 'development', SECRET_KEY: '' });
      try {
        const token = await login(service.http, 'johndoe', 'secret');
        await service.http.get('/users/me/').set('Authorization', `Bearer ${token}`).expect(200);
        expect((await publishedKeys(service)).map((key) => key.kid)).toEqual([headerOf(token).kid]);
        expect(await service.app.get(DataSource).query('SELECT kid FROM signing_keys')).toEqual([]);
      } finally {
        await service.close();
      }
    });
  });

  describe('rotation with two instances', () => {
    const env = { JWT_ALGORITHM: 'ES256', PUBLIC_URL, JWKS_MAX_AGE_SECONDS: '1' };
    let one: TestApp;
    let two: TestApp;

    beforeEach(async () => {
      one = await startApp(database, env);
      two = await startApp(database, env);
    });

    afterEach(async () => {
      await Promise.all([one.close(), two.close()]);
    });

    it('publishes the new key on every instance before any signs with it, and keeps accepting the old tokens', async () => {
      const before = await login(one.http, 'johndoe', 'secret');
      const oldKid = headerOf(before).kid;
      await two.http.get('/users/me/').set('Authorization', `Bearer ${before}`).expect(200);

      const rotated = rotate(database, env);
      expect(rotated.stderr).toBe('');
      expect(rotated.status).toBe(0);
      const { kid: newKid, signs_from: signsFrom } = JSON.parse(rotated.stdout) as { kid: string; signs_from: string };
      expect(newKid).not.toBe(oldKid);

      // Published by both while the old key still signs: a token made now still names the old key.
      for (const instance of [one, two]) {
        await eventually(async () => (await publishedKeys(instance)).some((key) => key.kid === newKid), 'the new key is published');
      }
      const signedMeanwhile = await login(two.http, 'johndoe', 'secret');
      if (Date.now() < Date.parse(signsFrom)) expect(headerOf(signedMeanwhile).kid).toBe(oldKid);

      // Then both sign with it, and each accepts the other's new tokens and the old ones.
      for (const instance of [one, two]) {
        await eventually(async () => headerOf(await login(instance.http, 'johndoe', 'secret')).kid === newKid, 'the new key signs');
      }
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(signsFrom));
      const after = await login(one.http, 'johndoe', 'secret');
      for (const [instance, token] of [
        [two, after],
        [one, before],
        [two, before],
      ] as const) {
        await instance.http.get('/users/me/').set('Authorization', `Bearer ${token}`).expect(200);
      }
      const published = (await publishedKeys(two)).map((key) => key.kid);
      expect(published).toEqual(expect.arrayContaining([oldKid, newKid]));
    });
  });
});

describe('rotate-signing-key', () => {
  it('needs the service SECRET_KEY, checked as the server checks it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth2-rotate-'));
    try {
      const result = spawnSync(process.execPath, [CLI, 'rotate-signing-key'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', JWT_ALGORITHM: 'ES256', DATABASE_URL: `sqlite:${join(dir, 'app.db')}` },
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe('Configuration error: SECRET_KEY is required in production; generate one with: openssl rand -hex 32\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
