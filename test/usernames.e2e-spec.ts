// New usernames are held to UTS #39's "Highly Restrictive" level (one script, or Latin with Chinese,
// Japanese or Korean), need a letter or digit, and may not look like a name already registered
// (same confusable skeleton: 409). Names registered before these rules keep working.
import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { UsernameSkeletons1795420800000 } from '../src/database/migrations/1795420800000-username-skeletons.js';
import { createTestDatabase, login, migratedBefore, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const ROOT = { FIRST_SUPERUSER: 'namesroot', FIRST_SUPERUSER_PASSWORD: 'a long root passphrase' };
const PASSWORD = 'a sound passphrase';
const LOOKALIKE = { detail: 'Username looks like one already registered' };

const mixes = (scripts: string) => `Value error, this username mixes scripts (${scripts}); use one, or Latin with Chinese, Japanese or Korean`;
const NO_LETTER = 'Value error, this username needs at least one letter or digit';

describe('usernames', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: TestApp['http'];
  let admin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, ROOT);
    http = service.http;
    const answer = await http.post('/token').type('form').send({ username: ROOT.FIRST_SUPERUSER, password: ROOT.FIRST_SUPERUSER_PASSWORD, scope: 'admin me items' }).expect(200);
    admin = answer.body.access_token as string;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it.each([
    ['аlice', mixes('Cyrillic, Latin')],
    ['jοhndoe', mixes('Latin, Greek')],
    ['...', NO_LETTER],
    ['---', NO_LETTER],
  ])('refuses to sign up %j beside the demo users with a 422 saying why, and stores nothing', async (username, msg) => {
    const response = await http.post('/users/signup').send({ username, password: PASSWORD });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ detail: [{ type: 'value_error', loc: ['body', 'username'], msg, input: username }] });
    await http.post('/token').type('form').send({ username, password: PASSWORD }).expect(401);
  });

  it('refuses the same names when a superuser creates the user', async () => {
    const response = await http.post('/users/').auth(admin, { type: 'bearer' }).send({ username: 'аlice', password: PASSWORD });
    expect(response.status).toBe(422);
    expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'username'], msg: mixes('Cyrillic, Latin') })]);
  });

  it.each(['j0hndoe', 'J0HNDOE', 'aIice', 'a1ice', 'stan1ey'])(
    'answers 409 for %j, which looks like a demo user’s name',
    async (username) => {
      const response = await http.post('/users/signup').send({ username, password: PASSWORD });
      expect({ status: response.status, body: response.body }).toEqual({ status: 409, body: LOOKALIKE });
      await http.post('/token').type('form').send({ username, password: PASSWORD }).expect(401);
    },
  );

  it('answers 409 for a name in another single script that looks like an existing one, and for rn beside m', async () => {
    await http.post('/users/signup').send({ username: 'pay', password: PASSWORD }).expect(201);
    await http.post('/users/signup').send({ username: 'modern', password: PASSWORD }).expect(201);
    for (const username of ['рау', 'rnodern', 'MODERN'.replace('M', 'RN')]) {
      const response = await http.post('/users/signup').send({ username, password: PASSWORD });
      expect({ username, status: response.status, body: response.body }).toEqual({ username, status: 409, body: LOOKALIKE });
    }
    const byAdmin = await http.post('/users/').auth(admin, { type: 'bearer' }).send({ username: 'рау', password: PASSWORD });
    expect({ status: byAdmin.status, body: byAdmin.body }).toEqual({ status: 409, body: LOOKALIKE });
  });

  it('accepts names of one script, and Latin mixed with Japanese', async () => {
    for (const username of ['иван', 'δημήτρης', 'たなか', 'tanaka太郎', 'josé']) {
      await http.post('/users/signup').send({ username, password: PASSWORD }).expect(201);
      await login(http, username, PASSWORD);
    }
  });

  it('lets exactly one of two look-alike names signed up at once through', async () => {
    const pairs = [0, 1, 2, 3].map((n) => [`racer${n}o`, `racer${n}0`]);
    const answers = await Promise.all(pairs.flat().map((username) => http.post('/users/signup').send({ username, password: PASSWORD })));
    for (let pair = 0; pair < pairs.length; pair++) {
      const statuses = [answers[2 * pair].status, answers[2 * pair + 1].status].sort();
      expect(statuses).toEqual([201, 409]);
    }
  });
});

describe('usernames registered before the look-alike rules', () => {
  let database: TestDatabase;
  let service: TestApp;

  /** Users written as the schema stood before the rules: `lеgacy` (Cyrillic е) after `legacy`. */
  const LEGACY = [
    { id: '00000000-0000-4000-8000-000000000001', username: 'legacy' },
    { id: '00000000-0000-4000-8000-000000000002', username: 'lеgacy' },
    { id: '00000000-0000-4000-8000-000000000003', username: '...' },
  ];

  beforeAll(async () => {
    database = await createTestDatabase();
    const before = await migratedBefore(database, UsernameSkeletons1795420800000);
    const hash = await argon2.hash(PASSWORD);
    for (const user of LEGACY) {
      const key = user.username.normalize('NFKC').toLowerCase();
      await before.createQueryBuilder().insert().into('users').values({ ...user, username_key: key, hashed_password: hash }).execute();
    }
    await before
      .createQueryBuilder()
      .insert()
      .into('items')
      .values({ id: randomUUID(), item_id: 'kept', title: 'Kept through the migration', owner_id: LEGACY[1].id })
      .execute();
    await before.destroy();
    service = await startApp(database, { DEMO_DATA: 'false' });
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('keeps every one of them, able to log in, with their items', async () => {
    for (const { username } of LEGACY) await login(service.http, username, PASSWORD);
    const token = await login(service.http, 'lеgacy', PASSWORD);
    const items = await service.http.get('/items/').auth(token, { type: 'bearer' }).expect(200);
    expect(items.body.data.map((item: { item_id: string }) => item.item_id)).toEqual(['kept']);
  });

  it('gives the older of two look-alikes the skeleton, so a new look-alike of either is refused', async () => {
    const rows = await service.app.get(DataSource).createQueryBuilder().select(['id', 'username_skeleton']).from('users', 'u').orderBy('id').getRawMany();
    expect(rows.map((row) => row.username_skeleton)).toEqual(['legacy', null, '...']);
    for (const username of ['IegacY', 'LEGACY'.replace('L', 'I')]) {
      const response = await service.http.post('/users/signup').send({ username, password: PASSWORD });
      expect(response.status).toBe(409);
    }
  });
});
