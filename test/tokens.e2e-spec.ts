// Tokens that must be refused (docs/architecture.md, "Tokens and sessions: the rules"), each with
// the contract's 401 and never a 500; key rotation; and compatibility with PyJWT's encoding of the
// key.
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { secretKeyId as keyId, secretKeyObject } from '../src/signing-keys/signing-keys.js';
import { createTestDatabase, login, startApp, TEST_SECRET_KEY, type TestApp, type TestDatabase } from './support/test-app.js';
import { withinASecond } from './support/within-a-second.js';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A token signed by hand, so that header and payload can be anything at all. */
function handMade(header: object, payload: object, key: string = TEST_SECRET_KEY, algorithm = 'sha256'): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${createHmac(algorithm, key).update(signingInput).digest('base64url')}`;
}

const HS256 = { alg: 'HS256', typ: 'JWT' };
const now = () => Math.floor(Date.now() / 1000);

describe('access tokens', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: TestApp['http'];
  let token: string;
  let claims: Record<string, unknown>;

  const get = (bearer: string) => http.get('/users/me').set('Authorization', `Bearer ${bearer}`);
  const signed = (changes: Record<string, unknown>, key = TEST_SECRET_KEY) => handMade(HS256, { ...claims, ...changes }, key);
  const without = (name: string) => {
    const copy = { ...claims };
    delete copy[name];
    return handMade(HS256, copy);
  };

  async function expectRefused(bearer: string): Promise<void> {
    const response = await get(bearer);
    expect({ status: response.status, body: response.body }).toEqual({
      status: 401,
      body: { detail: 'Could not validate credentials' },
    });
    expect(response.headers['www-authenticate']).toBe('Bearer');
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database);
    http = service.http;
    token = await login(http, 'johndoe', 'secret');
    claims = jwt.decode(token) as Record<string, unknown>;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('issues HS256 tokens with the claims of the design', () => {
    expect(jwt.decode(token, { complete: true })?.header).toEqual({ alg: 'HS256', typ: 'JWT', kid: keyId(TEST_SECRET_KEY) });
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'scope', 'sid', 'sub', 'uid', 'ver']);
    expect(claims).toMatchObject({ sub: 'johndoe', ver: 0, scope: 'me items' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(30 * 60);
  });

  it('accepts a token it signed by hand with the same claims (the refusals below are not about the signer)', async () => {
    expect((await get(signed({}))).status).toBe(200);
  });

  describe('answers 401 "Could not validate credentials" for', () => {
    it('a garbage string', () => expectRefused('garbage'));

    it('a tampered payload under the original signature', () => {
      const [header, , signature] = token.split('.');
      return expectRefused(`${header}.${base64url(JSON.stringify({ ...claims, sub: 'alice' }))}.${signature}`);
    });

    it('a replaced signature', () => {
      const [header, payload] = token.split('.');
      return expectRefused(`${header}.${payload}.${base64url(Buffer.alloc(32, 7))}`);
    });

    it.each(['none', 'None', 'NONE'])('alg "%s" without a signature', (alg) => {
      const [, payload] = token.split('.');
      return expectRefused(`${base64url(JSON.stringify({ alg, typ: 'JWT' }))}.${payload}.`);
    });

    it.each([
      ['HS384', 'sha384'],
      ['HS512', 'sha512'],
    ])('%s signed with the right key', (alg, hash) => expectRefused(handMade({ alg, typ: 'JWT' }, claims, TEST_SECRET_KEY, hash)));

    it('RS256 with an HMAC signature made from the secret (key confusion)', () =>
      expectRefused(handMade({ alg: 'RS256', typ: 'JWT' }, claims)));

    it('another key', () => expectRefused(signed({}, 'another-key-0123456789abcdef0123456789abcdef')));

    it('an expired token', () => expectRefused(signed({ iat: now() - 3600, exp: now() - 60 })));

    it('a token without exp', () => expectRefused(without('exp')));

    it('a token without sub', () => expectRefused(without('sub')));

    it('a non-string sub', () => expectRefused(signed({ sub: 42 })));

    it('a sub that is not the name of the user with that uid', () => expectRefused(signed({ sub: 'alice' })));

    it('a wrong iss', () => expectRefused(signed({ iss: 'someone-else' })));

    it('a wrong aud', () => expectRefused(signed({ aud: 'another-api' })));

    it('a ver that is not the user’s token version', () => expectRefused(signed({ ver: 1 })));

    it('the uid of a user who does not exist', () => expectRefused(signed({ uid: '00000000-0000-4000-8000-000000000000' })));

    it('nbf more than 30 s in the future', () => expectRefused(signed({ nbf: now() + 120 })));

    it('iat more than 30 s in the future', () => expectRefused(signed({ iat: now() + 120 })));

    it('duplicated JSON keys in the payload (the last "sub" names someone else)', () => {
      const json = JSON.stringify(claims).replace(/^\{/, `{"sub":"${claims.sub}",`).replace(/\}$/, ',"sub":"alice"}');
      const signingInput = `${base64url(JSON.stringify(HS256))}.${base64url(json)}`;
      return expectRefused(`${signingInput}.${createHmac('sha256', TEST_SECRET_KEY).update(signingInput).digest('base64url')}`);
    });

    it('duplicated "alg" in the header, the last one "none"', () => {
      const signingInput = `${base64url('{"alg":"HS256","typ":"JWT","alg":"none"}')}.${base64url(JSON.stringify(claims))}`;
      return expectRefused(`${signingInput}.${createHmac('sha256', TEST_SECRET_KEY).update(signingInput).digest('base64url')}`);
    });

    it.each([
      ['padding on the signature', (t: string) => `${t}=`],
      ['padding on the payload', (t: string) => t.replace(/^([^.]+)\.([^.]+)\./, '$1.$2=.')],
      ['the signature in standard base64, padded', (t: string) => {
        const [header, payload, signature] = t.split('.');
        return `${header}.${payload}.${Buffer.from(signature, 'base64url').toString('base64')}`;
      }],
      ['whitespace inside the token', (t: string) => t.replace('.', ' .')],
    ])('%s', (_case, mangle) => {
      const mangled = mangle(token);
      expect(mangled).not.toBe(token);
      return expectRefused(mangled);
    });

    it('an unknown crit header', () => expectRefused(handMade({ ...HS256, crit: ['exp-v2'], 'exp-v2': 1 }, claims)));

    it('a kid that names none of its keys, wherever it points', async () => {
      await expectRefused(handMade({ ...HS256, kid: '../../../../dev/null' }, claims));
      await expectRefused(handMade({ ...HS256, kid: 'other' }, claims, 'another-key-0123456789abcdef0123456789abcdef'));
      await expectRefused(handMade({ ...HS256, kid: 42 }, claims));
    });

    it('an 11 KB token (still within the header limit) signed with another key', () =>
      expectRefused(signed({ padding: 'x'.repeat(8 * 1024) }, 'another-key-0123456789abcdef0123456789abcdef')));

    it('"Bearer" with nothing after it, as FastAPI does', () => expectRefused(''));
  });

  it('answers 431 {"detail": …} to a 100 KB token, before any verification', async () => {
    const response = await get(signed({ padding: 'x'.repeat(100 * 1024) }));
    expect([response.status, response.body]).toEqual([431, { detail: 'Request Header Fields Too Large' }]);
  });

  describe('answers 401 "Not authenticated" for', () => {
    it('no Authorization header', async () => {
      const response = await http.get('/users/me');
      expect([response.status, response.body]).toEqual([401, { detail: 'Not authenticated' }]);
    });

    it('another scheme', async () => {
      const response = await http.get('/users/me').set('Authorization', `Token ${token}`);
      expect([response.status, response.body]).toEqual([401, { detail: 'Not authenticated' }]);
    });
  });

  it('answers 400 "Inactive user" once the user is disabled, and works again once re-enabled', async () => {
    // Written straight to the database, as another instance would: seen within the second of
    // docs/architecture.md, "Caches and their bounds".
    const settled = (token: string, status: number) => withinASecond(() => get(token), (response) => response.status === status);
    const dataSource = service.app.get(DataSource);
    const alice = await login(http, 'alice', 'secret');
    expect((await get(alice)).status).toBe(200);
    await dataSource.query("UPDATE users SET disabled = true WHERE username = 'alice'");
    try {
      const response = await settled(alice, 400);
      expect([response.status, response.body]).toEqual([400, { detail: 'Inactive user' }]);
    } finally {
      await dataSource.query("UPDATE users SET disabled = false WHERE username = 'alice'");
    }
    expect((await settled(alice, 200)).status).toBe(200);
  });
});

describe('key rotation', () => {
  // One application per process, as in production: Passport's strategy registry is global, so two
  // applications with different keys in one test process would share one JWT strategy.
  const NEW_KEY = 'aad4857a891b96e2115fe90120068a955c89c4bb859c3bccee1c6bbd3275cf9d';
  let database: TestDatabase;
  let service: TestApp;
  let claims: Record<string, unknown>;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { SECRET_KEY: NEW_KEY, PREVIOUS_SECRET_KEYS: TEST_SECRET_KEY });
    claims = jwt.decode(await login(service.http, 'johndoe', 'secret')) as Record<string, unknown>;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('still accepts a token signed with a previous key, found by its kid', async () => {
    const issuedBeforeRotation = handMade({ ...HS256, kid: keyId(TEST_SECRET_KEY) }, claims, TEST_SECRET_KEY);
    expect((await service.http.get('/users/me').auth(issuedBeforeRotation, { type: 'bearer' })).status).toBe(200);
  });

  it('checks a token without kid against the current key only', async () => {
    const withoutKid = handMade(HS256, claims, TEST_SECRET_KEY);
    expect((await service.http.get('/users/me').auth(withoutKid, { type: 'bearer' })).status).toBe(401);
    const currentWithoutKid = handMade(HS256, claims, NEW_KEY);
    expect((await service.http.get('/users/me').auth(currentWithoutKid, { type: 'bearer' })).status).toBe(200);
  });

  it('signs new tokens with the new key only, naming it in kid', async () => {
    const token = await login(service.http, 'johndoe', 'secret');
    expect(jwt.decode(token, { complete: true })?.header.kid).toBe(keyId(NEW_KEY));
    expect(() => jwt.verify(token, secretKeyObject(NEW_KEY), { algorithms: ['HS256'] })).not.toThrow();
    expect(() => jwt.verify(token, secretKeyObject(TEST_SECRET_KEY), { algorithms: ['HS256'] })).toThrow();
  });

  it('refuses a key that is not listed', async () => {
    const forged = handMade({ ...HS256, kid: keyId(TEST_SECRET_KEY) }, claims, 'unlisted-key-0123456789abcdef0123456789abcdef');
    expect((await service.http.get('/users/me').auth(forged, { type: 'bearer' })).status).toBe(401);
  });
});

describe('PyJWT compatibility', () => {
  it('uses the UTF-8 bytes of the key as PyJWT does (the jwt.io example of the FastAPI docs)', () => {
    const example =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    expect(jwt.verify(example, secretKeyObject('your-256-bit-secret'), { algorithms: ['HS256'] })).toMatchObject({
      sub: '1234567890',
      name: 'John Doe',
    });
  });

  it('issues tokens that a PyJWT-style HS256 check in Python accepts', async () => {
    const database = await createTestDatabase();
    const service = await startApp(database);
    try {
      const token = await login(service.http, 'johndoe', 'secret');
      const output = execFileSync('python3', [join(process.cwd(), 'test', 'support', 'pyjwt_check.py'), TEST_SECRET_KEY, token], {
        encoding: 'utf8',
      });
      expect(JSON.parse(output)).toMatchObject({ sub: 'johndoe', aud: service.config.jwtAudience });
    } finally {
      await service.close();
      await database.drop();
    }
  });
});
