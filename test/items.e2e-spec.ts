// Items and OAuth2 scopes (issue 4): /items/ CRUD with per-owner names, what another user may not
// see, the tutorial's plain list, and which token may call which route.
import { DataSource } from 'typeorm';
import { createTestDatabase, login, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

type Http = TestApp['http'];

const ROOT = 'root1';
const ROOT_PASSWORD = 'first superuser passphrase';
const ITEM_KEYS = ['description', 'id', 'item_id', 'owner', 'title'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = { detail: 'Item not found' };
const NOT_ENOUGH_PERMISSIONS = { detail: 'Not enough permissions' };

interface ItemView {
  id: string;
  item_id: string;
  title: string;
  description: string | null;
  owner: string;
}

async function tokenAnswer(http: Http, username: string, password: string, scope?: string) {
  const form: Record<string, string> = { username, password };
  if (scope !== undefined) form.scope = scope;
  return http.post('/token').type('form').send(form);
}

async function tokenWithScope(http: Http, username: string, password: string, scope: string): Promise<string> {
  const response = await tokenAnswer(http, username, password, scope);
  expect(response.status).toBe(200);
  return response.body.access_token as string;
}

function expectInsufficientScope(response: { status: number; body: unknown; headers: Record<string, string> }, scope: string): void {
  expect({ status: response.status, body: response.body }).toEqual({ status: 403, body: NOT_ENOUGH_PERMISSIONS });
  expect(response.headers['www-authenticate']).toBe(`Bearer error="insufficient_scope", scope="${scope}"`);
}

describe('items and scopes', () => {
  let database: TestDatabase;
  let service: TestApp;
  let http: Http;
  let johndoe: string;
  let alice: string;
  /** root1, a superuser, with the default scopes: an ordinary user's reach. */
  let root: string;
  /** root1 with `admin me items`: the token that reaches every user's items. */
  let rootAdmin: string;

  const as = (token: string) => ({
    get: (url: string) => http.get(url).auth(token, { type: 'bearer' }),
    post: (url: string, body: object) => http.post(url).auth(token, { type: 'bearer' }).send(body),
    patch: (url: string, body: object) => http.patch(url).auth(token, { type: 'bearer' }).send(body),
    delete: (url: string) => http.delete(url).auth(token, { type: 'bearer' }),
  });

  async function createItem(token: string, body: object): Promise<ItemView> {
    const response = await as(token).post('/items/', body);
    expect(response.status).toBe(201);
    return response.body as ItemView;
  }

  /** How many items, of any owner, have `field` equal to `value`: as the superuser with `admin` lists them. */
  async function countItems(field: keyof ItemView, value: string): Promise<number> {
    const items: ItemView[] = [];
    for (let skip = 0; ; skip += 100) {
      const page = await as(rootAdmin).get(`/items/?skip=${skip}&limit=100`).expect(200);
      items.push(...page.body.data);
      if (items.length >= page.body.count) return items.filter((item) => item[field] === value).length;
    }
  }

  /** Every row of the table, read straight from the database. */
  async function countItemRows(): Promise<number> {
    const [row] = await service.app.get(DataSource).query('SELECT COUNT(*) AS n FROM items');
    return Number(row.n);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database, { FIRST_SUPERUSER: ROOT, FIRST_SUPERUSER_PASSWORD: ROOT_PASSWORD });
    http = service.http;
    [johndoe, alice, root, rootAdmin] = await Promise.all([
      login(http, 'johndoe', 'secret'),
      login(http, 'alice', 'secret'),
      login(http, ROOT, ROOT_PASSWORD),
      tokenWithScope(http, ROOT, ROOT_PASSWORD, 'admin me items'),
    ]);
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  describe('POST /items/', () => {
    it('answers 201 with exactly id, item_id, title, description and owner', async () => {
      const response = await as(alice).post('/items/', { item_id: 'Bar', title: 'The Bar', description: 'A bar of something' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        item_id: 'Bar',
        title: 'The Bar',
        description: 'A bar of something',
        owner: 'alice',
      });
      expect(Object.keys(response.body).sort()).toEqual(ITEM_KEYS);
    });

    it('answers a null description when none is sent', async () => {
      const item = await createItem(alice, { item_id: 'Plain', title: 'Plain' });
      expect(item.description).toBeNull();
    });

    it('answers 409 {"detail": …} for an item_id the owner already has', async () => {
      const response = await as(alice).post('/items/', { item_id: 'Bar', title: 'Another Bar' });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({ detail: expect.any(String) });
      expect(await countItems('item_id', 'Bar')).toBe(1);
    });

    it("accepts an item_id that another user's item already has", async () => {
      const item = await createItem(alice, { item_id: 'Foo', title: "Alice's Foo" });
      expect(item).toMatchObject({ item_id: 'Foo', owner: 'alice' });
      const johns = await as(johndoe).get('/users/me/items/');
      expect(johns.body).toEqual([expect.objectContaining({ item_id: 'Foo', owner: 'johndoe', title: 'Foo' })]);
    });

    it('lets exactly one of 10 parallel creations of one item_id win; the rest answer 409', async () => {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => as(alice).post('/items/', { item_id: 'Raced', title: `Raced ${i}` })),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
      expect(await countItems('item_id', 'Raced')).toBe(1);
    });

    it('answers 422 for a missing title', async () => {
      const response = await as(alice).post('/items/', { item_id: 'NoTitle' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([{ type: 'missing', loc: ['body', 'title'], msg: 'Field required', input: null }]);
    });

    it('answers 422 for an empty item_id', async () => {
      const response = await as(alice).post('/items/', { item_id: '', title: 'Empty' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'item_id'] })]);
    });

    it('answers 422 for a title that is not a string', async () => {
      const response = await as(alice).post('/items/', { item_id: 'Typed', title: { $ne: null } });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ type: 'string_type', loc: ['body', 'title'] })]);
    });

    it.each([
      ['title', { item_id: 'Nul1', title: 'before\u0000after' }],
      ['description', { item_id: 'Nul2', title: 'Nul', description: 'x\u0000' }],
      ['item_id', { item_id: 'Nul\u00003', title: 'Nul' }],
    ])('answers 422 for a NUL byte in %s, and stores nothing', async (field, body) => {
      const response = await as(alice).post('/items/', body);
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['body', field] })]);
      expect(await countItems('title', 'Nul')).toBe(0);
    });

    it('answers 422 for a lone surrogate, which would be stored as U+FFFD, and stores nothing', async () => {
      const response = await http
        .post('/items/')
        .auth(alice, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .send('{"item_id": "Lone", "title": "half \\ud83d of an emoji"}');
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ type: 'string_unicode', loc: ['body', 'title'] })]);
      expect(await countItems('item_id', 'Lone')).toBe(0);
    });

    it('stores SQL-looking text verbatim and answers it back unchanged', async () => {
      const body = {
        item_id: "x' OR '1'='1",
        title: "'; DROP TABLE users; --",
        description: 'Robert"); DELETE FROM items WHERE ("1"="1 \\ %_ \u00e9\u{1F600}',
      };
      const created = await createItem(alice, body);
      expect(created).toMatchObject(body);
      const read = await as(alice).get(`/items/${created.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ ...body, id: created.id, owner: 'alice' });
      await login(http, 'johndoe', 'secret');
      expect((await as(johndoe).get('/users/me/items/')).body).toHaveLength(1);
    });

    it('answers 401 without a token', async () => {
      const response = await http.post('/items/').send({ item_id: 'Anon', title: 'Anon' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Not authenticated' });
    });
  });

  describe('GET /items/', () => {
    let stanley: string;
    const names = ['S-c', 'S-a', 'S-e', 'S-b', 'S-d'];

    beforeAll(async () => {
      stanley = await login(http, 'stanley', 'secret');
      for (const name of names) await createItem(stanley, { item_id: name, title: name });
    });

    it('answers {"data": [...], "count": N} of the caller\'s items only', async () => {
      const response = await as(stanley).get('/items/');
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['count', 'data']);
      expect(response.body.count).toBe(5);
      expect(response.body.data.map((item: ItemView) => item.item_id).sort()).toEqual([...names].sort());
      for (const item of response.body.data) {
        expect(Object.keys(item).sort()).toEqual(ITEM_KEYS);
        expect(item.owner).toBe('stanley');
      }
    });

    it("does not show another user's items", async () => {
      const response = await as(johndoe).get('/items/');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: [expect.objectContaining({ item_id: 'Foo', owner: 'johndoe' })], count: 1 });
    });

    it('shows a superuser whose token has the admin scope every item', async () => {
      const response = await as(rootAdmin).get('/items/?limit=100');
      expect(response.status).toBe(200);
      // Counted in the table itself: what is tested is that the API shows the superuser every row.
      const total = await countItemRows();
      expect(response.body.count).toBe(total);
      expect(response.body.data).toHaveLength(total);
      const owners = new Set(response.body.data.map((item: ItemView) => item.owner));
      expect([...owners].sort()).toEqual(expect.arrayContaining(['alice', 'johndoe', 'stanley']));
    });

    it('pages with skip and limit in a stable order, counting every item', async () => {
      const all = await as(stanley).get('/items/');
      const paged: ItemView[] = [];
      for (let skip = 0; skip < 5; skip += 2) {
        const page = await as(stanley).get(`/items/?skip=${skip}&limit=2`);
        expect(page.status).toBe(200);
        expect(page.body.count).toBe(5);
        paged.push(...page.body.data);
      }
      expect(paged).toEqual(all.body.data);
    });

    it('answers 422 for limit over 100', async () => {
      const response = await as(stanley).get('/items/?limit=101');
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ type: 'less_than_equal', loc: ['query', 'limit'] })]);
    });

    it('answers 422 for a skip too large for an exact OFFSET, and an empty page for the largest one', async () => {
      for (const skip of ['1e19', '1e308', '9223372036854775808']) {
        const response = await as(stanley).get(`/items/?skip=${skip}`);
        expect({ skip, status: response.status }).toEqual({ skip, status: 422 });
        expect(response.body.detail).toEqual([expect.objectContaining({ type: 'less_than_equal', loc: ['query', 'skip'] })]);
      }
      const last = await as(stanley).get('/items/?skip=9007199254740991');
      expect(last.status).toBe(200);
      expect(last.body).toEqual({ data: [], count: 5 });
    });

    it('answers 422 for a negative skip', async () => {
      const response = await as(stanley).get('/items/?skip=-1');
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['query', 'skip'] })]);
    });
  });

  describe('GET|PATCH|DELETE /items/{id}', () => {
    let mine: ItemView;
    let johns: ItemView;

    beforeAll(async () => {
      mine = await createItem(alice, { item_id: 'Mine', title: 'Mine', description: 'mine' });
      johns = await createItem(johndoe, { item_id: 'Johns', title: "John's", description: 'his' });
    });

    it('reads one of the caller\'s items', async () => {
      const response = await as(alice).get(`/items/${mine.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(mine);
    });

    it("answers 404 \"Item not found\" to GET of another user's item", async () => {
      const response = await as(alice).get(`/items/${johns.id}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual(NOT_FOUND);
    });

    it("answers 404 \"Item not found\" to PATCH of another user's item, and changes nothing", async () => {
      const response = await as(alice).patch(`/items/${johns.id}`, { title: 'Stolen' });
      expect(response.status).toBe(404);
      expect(response.body).toEqual(NOT_FOUND);
      expect((await as(johndoe).get(`/items/${johns.id}`)).body.title).toBe("John's");
    });

    it("answers 404 \"Item not found\" to DELETE of another user's item, and deletes nothing", async () => {
      const response = await as(alice).delete(`/items/${johns.id}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual(NOT_FOUND);
      expect((await as(johndoe).get(`/items/${johns.id}`)).status).toBe(200);
    });

    it.each([
      ['an unknown id', '00000000-0000-4000-8000-000000000000'],
      ['an id that is not a UUID', 'not-a-uuid'],
      ['an item_id instead of an id', 'Mine'],
      ['SQL in the path', "1' OR '1'='1"],
    ])('answers 404 "Item not found" for %s', async (_, id) => {
      const response = await as(alice).get(`/items/${encodeURIComponent(id)}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual(NOT_FOUND);
    });

    it('changes only the fields sent and answers 200 with the item', async () => {
      const response = await as(alice).patch(`/items/${mine.id}`, { title: 'Mine, renamed' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ...mine, title: 'Mine, renamed' });
      expect((await as(alice).get(`/items/${mine.id}`)).body).toEqual(response.body);
    });

    it('clears the description when it is set to null', async () => {
      const response = await as(alice).patch(`/items/${mine.id}`, { description: null });
      expect(response.status).toBe(200);
      expect(response.body.description).toBeNull();
    });

    it('answers 409 when PATCH gives an item the item_id of another of the owner\'s items', async () => {
      const response = await as(alice).patch(`/items/${mine.id}`, { item_id: 'Bar' });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({ detail: expect.any(String) });
      expect((await as(alice).get(`/items/${mine.id}`)).body.item_id).toBe('Mine');
    });

    it('answers 422 for an empty title in PATCH', async () => {
      const response = await as(alice).patch(`/items/${mine.id}`, { title: '' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'title'] })]);
    });

    it('deletes one of the caller\'s items: 200, then 404', async () => {
      const doomed = await createItem(alice, { item_id: 'Doomed', title: 'Doomed' });
      const response = await as(alice).delete(`/items/${doomed.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ message: expect.any(String) });
      const again = await as(alice).get(`/items/${doomed.id}`);
      expect(again.status).toBe(404);
      expect(again.body).toEqual(NOT_FOUND);
    });
  });

  describe('GET /users/me/items/', () => {
    it.each(['/users/me/items/', '/users/me/items'])('still answers a plain list of the caller\'s items at %s', async (url) => {
      const response = await as(alice).get(url);
      expect(response.status).toBe(200);
      expect(Array.isArray(response.body)).toBe(true);
      expect(response.body.length).toBeGreaterThan(0);
      for (const item of response.body) expect(item).toMatchObject({ item_id: expect.any(String), owner: 'alice' });
      expect(response.body.map((item: ItemView) => item.item_id)).toEqual(expect.arrayContaining(['Bar', 'Foo']));
    });

    it('lists only the caller\'s items, even for a superuser', async () => {
      const response = await as(root).get('/users/me/items/');
      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
    });
  });

  describe("a superuser's authority over other users' items", () => {
    let roots: ItemView;
    let others: ItemView;

    beforeAll(async () => {
      roots = await createItem(root, { item_id: 'RootOwn', title: "Root's own" });
      others = await createItem(johndoe, { item_id: 'NotRoots', title: "John's, not root's" });
    });

    it("lists only the superuser's own items at GET /items/ without the admin scope", async () => {
      const response = await as(root).get('/items/?limit=100');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: [roots], count: 1 });
    });

    it.each([
      ['GET', undefined],
      ['PATCH', { title: 'Taken by root' }],
      ['DELETE', undefined],
    ])("answers 404 \"Item not found\" to %s of another user's item without the admin scope, and changes nothing", async (method, body) => {
      const response = await http[method.toLowerCase() as 'get'](`/items/${others.id}`).auth(root, { type: 'bearer' }).send(body);
      expect({ status: response.status, body: response.body }).toEqual({ status: 404, body: NOT_FOUND });
      expect((await as(johndoe).get(`/items/${others.id}`)).body).toEqual(others);
    });

    it('lists every item at GET /items/ with the admin scope', async () => {
      const response = await as(rootAdmin).get('/items/?limit=100');
      expect(response.status).toBe(200);
      expect(response.body.count).toBe(await countItemRows());
      expect(response.body.data).toEqual(expect.arrayContaining([roots, others]));
    });

    it("reads, changes and deletes another user's item with the admin scope", async () => {
      expect((await as(rootAdmin).get(`/items/${others.id}`)).body).toEqual(others);
      const changed = await as(rootAdmin).patch(`/items/${others.id}`, { title: 'Changed by an administrator' });
      expect({ status: changed.status, body: changed.body }).toEqual({ status: 200, body: { ...others, title: 'Changed by an administrator' } });
      const deleted = await as(rootAdmin).delete(`/items/${others.id}`);
      expect({ status: deleted.status, body: deleted.body }).toEqual({ status: 200, body: { message: 'Item deleted successfully' } });
      expect((await as(johndoe).get(`/items/${others.id}`)).status).toBe(404);
    });
  });

  describe('scopes at POST /token', () => {
    it('answers the granted scopes in "scope"', async () => {
      const response = await tokenAnswer(http, 'johndoe', 'secret', 'me');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ token_type: 'bearer', scope: 'me' });
    });

    it('grants "me items" when no scope is asked for', async () => {
      const response = await tokenAnswer(http, 'johndoe', 'secret');
      expect(response.status).toBe(200);
      expect(response.body.scope.split(' ').sort()).toEqual(['items', 'me']);
    });

    it('grants "me items", not admin, to a superuser sending an empty scope as Swagger UI does', async () => {
      const response = await http
        .post('/token')
        .type('form')
        .send(`grant_type=password&username=${ROOT}&password=${ROOT_PASSWORD}&scope=&client_id=&client_secret=`);
      expect(response.status).toBe(200);
      expect(response.body.scope.split(' ').sort()).toEqual(['items', 'me']);
      expectInsufficientScope(await as(response.body.access_token).get('/users/'), 'admin');
    });

    it('grants several scopes asked for in any order', async () => {
      const response = await tokenAnswer(http, 'johndoe', 'secret', 'items me');
      expect(response.status).toBe(200);
      expect(response.body.scope.split(' ').sort()).toEqual(['items', 'me']);
    });

    it('answers 400 {"detail": "Invalid scope: nope", "error": "invalid_scope"} for an unknown scope', async () => {
      const response = await tokenAnswer(http, 'johndoe', 'secret', 'nope');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ detail: 'Invalid scope: nope', error: 'invalid_scope' });
    });

    it('names the unknown scope among known ones', async () => {
      const response = await tokenAnswer(http, 'johndoe', 'secret', 'me nope items');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ detail: 'Invalid scope: nope', error: 'invalid_scope' });
    });
  });

  describe('scopes on the routes', () => {
    let meOnly: string;
    let itemsOnly: string;

    beforeAll(async () => {
      [meOnly, itemsOnly] = await Promise.all([
        tokenWithScope(http, 'alice', 'secret', 'me'),
        tokenWithScope(http, 'alice', 'secret', 'items'),
      ]);
    });

    it('answers GET /users/me/ to a token with "me" only', async () => {
      const response = await as(meOnly).get('/users/me/');
      expect(response.status).toBe(200);
      expect(response.body.username).toBe('alice');
    });

    it.each([
      ['GET', '/items/'],
      ['POST', '/items/'],
      ['GET', '/items/00000000-0000-4000-8000-000000000000'],
      ['PATCH', '/items/00000000-0000-4000-8000-000000000000'],
      ['DELETE', '/items/00000000-0000-4000-8000-000000000000'],
      ['GET', '/users/me/items/'],
    ])('answers 403 "Not enough permissions", scope="items", to %s %s with a "me" token', async (method, url) => {
      const response = await http[method.toLowerCase() as 'get'](url)
        .auth(meOnly, { type: 'bearer' })
        .send({ item_id: 'Scoped', title: 'Scoped' });
      expectInsufficientScope(response, 'items');
    });

    it('creates nothing for a token without the items scope', async () => {
      expect(await countItems('item_id', 'Scoped')).toBe(0);
    });

    it('answers GET /items/ to a token with "items" only', async () => {
      const response = await as(itemsOnly).get('/items/');
      expect(response.status).toBe(200);
      expect(response.body.count).toBeGreaterThan(0);
    });

    it.each([
      ['GET', '/users/me/', undefined],
      ['GET', '/users/me', undefined],
      ['PATCH', '/users/me/', { full_name: 'Scoped' }],
      ['PATCH', '/users/me/password', { current_password: 'secret', new_password: 'new-password' }],
      ['DELETE', '/users/me/', { current_password: 'secret' }],
    ])('answers 403 "Not enough permissions", scope="me", to %s %s with an "items" token', async (method, url, body) => {
      const response = await http[method.toLowerCase() as 'get'](url).auth(itemsOnly, { type: 'bearer' }).send(body);
      expectInsufficientScope(response, 'me');
    });

    it('leaves the account as it was after the refused calls', async () => {
      const me = await as(meOnly).get('/users/me/');
      expect(me.status).toBe(200);
      expect(me.body.full_name).toBe('Alice Wonderson');
      await login(http, 'alice', 'secret');
    });

    it('answers 403 scope="admin" to a superuser token with the default scopes', async () => {
      expectInsufficientScope(await as(root).get('/users/'), 'admin');
    });

    it('answers the scope checks before the body is validated', async () => {
      const response = await as(meOnly).post('/items/', { title: 42 });
      expectInsufficientScope(response, 'items');
    });

    it('lets a token with no scope at all only reach routes that need none', async () => {
      // A non-superuser asking only for admin is granted nothing.
      const answer = await tokenAnswer(http, 'alice', 'secret', 'admin');
      expect(answer.status).toBe(200);
      const token = answer.body.access_token as string;
      expect((await as(token).get('/protected')).status).toBe(200);
      expectInsufficientScope(await as(token).get('/users/me/'), 'me');
      expectInsufficientScope(await as(token).get('/items/'), 'items');
    });
  });

  describe('scopes in the OpenAPI document', () => {
    type Operation = { security?: Record<string, string[]>[] };
    let document: {
      paths: Record<string, Record<string, Operation>>;
      components: { securitySchemes: { OAuth2PasswordBearer: { flows: { password: { scopes: Record<string, string> } } } } };
    };
    let superAll: string;

    beforeAll(async () => {
      document = (await http.get('/openapi.json').expect(200)).body;
      superAll = await tokenWithScope(http, ROOT, ROOT_PASSWORD, 'admin me items');
    });

    it('describes each of me, items and admin for the Authorize dialog', () => {
      const scopes = document.components.securitySchemes.OAuth2PasswordBearer.flows.password.scopes;
      expect(Object.keys(scopes).sort()).toEqual(['admin', 'items', 'me']);
      for (const description of Object.values(scopes)) expect(description.length).toBeGreaterThan(0);
    });

    it('declares on each operation the scopes its route enforces', async () => {
      const all = ['me', 'items', 'admin'];
      const tokens = new Map<string, string>();
      for (const scope of all) {
        tokens.set(scope, await tokenWithScope(http, ROOT, ROOT_PASSWORD, all.filter((other) => other !== scope).join(' ')));
      }
      let checked = 0;
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const declared = operation.security?.[0]?.OAuth2PasswordBearer;
          if (!declared) continue;
          const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
          for (const scope of declared) {
            const response = await http[method as 'get'](url).auth(tokens.get(scope)!, { type: 'bearer' });
            expect({ method, url, status: response.status, header: response.headers['www-authenticate'] }).toEqual({
              method,
              url,
              status: 403,
              header: `Bearer error="insufficient_scope", scope="${scope}"`,
            });
            checked += 1;
          }
          // A superuser holding every scope is never refused for want of one.
          const full = await http[method as 'get'](url).auth(superAll, { type: 'bearer' });
          expect({ method, url, status: full.status }).not.toEqual({ method, url, status: 403 });
        }
      }
      expect(checked).toBeGreaterThan(10);
    });
  });
});
