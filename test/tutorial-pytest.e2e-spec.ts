// The pytest suite of the "OAuth2 and JWT to protect a FastAPI application" post (001_*.txt),
// translated line for line: the same requests, the same assertions.
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

describe('the tutorial post test suite', () => {
  let database: TestDatabase;
  let service: TestApp;
  let client: TestApp['http'];

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database);
    client = service.http;
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('test_without_login_gets_401_unauthorized', async () => {
    const response = await client.get('/users/me');
    expect(response.status).toBe(401);
  });

  it('test_login_with_stanley', async () => {
    const response = await client.post('/token').type('form').send({ username: 'stanley', password: 'secret' });
    expect(response.status).toBe(200);
    const jwt = response.body.access_token;
    const responseMe = await client.get('/users/me').set('Authorization', 'Bearer ' + jwt);
    expect(responseMe.status).toBe(200);
    expect(responseMe.body).toStrictEqual({
      username: 'stanley',
      email: 'Stanley.Jobson@localhost',
      full_name: 'Stanley Jobson',
      disabled: false,
    });
  });

  it('test_login_with_mike', async () => {
    const response = await client.post('/token').type('form').send({ username: 'mike', password: 'password' });
    expect(response.status).toBe(200);
    const jwt = response.body.access_token;
    const responseMe = await client.get('/users/me').set('Authorization', 'Bearer ' + jwt);
    expect(responseMe.status).toBe(200);
    expect(responseMe.body).toStrictEqual({
      username: 'mike',
      email: 'Mike.Doe@localhost',
      full_name: 'Mike Doe',
      disabled: false,
    });
  });
});
