// The OpenAPI document as a contract: linted by Redocly's recommended rules, and equal to the
// committed openapi.json, so that an API change is a reviewed change of that file. After a
// deliberate change: `npm run openapi:snapshot` (runs this suite with UPDATE_OPENAPI_SNAPSHOT=1).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const SNAPSHOT = join(process.cwd(), 'openapi.json');

describe('the OpenAPI document', () => {
  let database: TestDatabase;
  let service: TestApp;
  let served: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startApp(database);
    served = `${JSON.stringify((await service.http.get('/openapi.json').expect(200)).body, null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI_SNAPSHOT === '1') writeFileSync(SNAPSHOT, served);
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('passes the recommended rules of the Redocly linter, without a warning', async () => {
    const config = await createConfig({
      extends: ['recommended'],
      // The health routes take no input, so they have no client error to document.
      rules: { 'operation-4xx-response': 'off' },
    });
    const problems = await lintFromString({ source: served, absoluteRef: 'openapi.json', config });
    const found = problems.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`);
    expect(found).toEqual([]);
  });

  it('is the committed openapi.json (after a deliberate change: npm run openapi:snapshot)', () => {
    expect(served).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });

  it('matches the committed client types (after a change: npm run openapi:types)', async () => {
    const generated = COMMENT_HEADER + astToString(await openapiTS(JSON.parse(served), { defaultNonNullable: false }));
    expect(readFileSync(join(process.cwd(), 'test/support/api-types.ts'), 'utf8')).toBe(generated);
  });
});
