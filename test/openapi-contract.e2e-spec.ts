// The OpenAPI document as a contract: linted by Redocly's recommended rules, and equal to the
// committed openapi.json, so that an API change is a reviewed change of that file. After a
// deliberate change: `npm run openapi:snapshot` (runs this suite with UPDATE_OPENAPI_SNAPSHOT=1).
// Every property of every schema carries an example that fits it, for Swagger UI and ReDoc.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { createTestDatabase, startApp, type TestApp, type TestDatabase } from './support/test-app.js';

const SNAPSHOT = join(process.cwd(), 'openapi.json');

interface Schema {
  $ref?: string;
  example?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
}

/**
 * The properties under `schema` without an example, nested objects, array items and map values
 * included. A `$ref`, an array of `$ref`s or an object with properties needs none of its own:
 * Swagger UI builds its example from the schemas it points to or holds, which are checked too.
 */
function propertiesWithoutExample(schema: Schema, path: string): string[] {
  const missing = Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const composed = property.$ref !== undefined || property.items?.$ref !== undefined || property.properties !== undefined;
    const own = property.example === undefined && !composed ? [`${path}.${name}`] : [];
    return [...own, ...propertiesWithoutExample(property, `${path}.${name}`)];
  });
  if (schema.items) missing.push(...propertiesWithoutExample(schema.items, `${path}[]`));
  if (typeof schema.additionalProperties === 'object') missing.push(...propertiesWithoutExample(schema.additionalProperties, `${path}.*`));
  return missing;
}

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

  it('gives every property of every schema an example', () => {
    const schemas = (JSON.parse(served) as { components: { schemas: Record<string, Schema> } }).components.schemas;
    const missing = Object.entries(schemas).flatMap(([name, schema]) => propertiesWithoutExample(schema, name));
    expect(missing).toEqual([]);
  });

  it('has examples that fit their own schemas: type, enum, format, lengths, bounds and pattern', async () => {
    // Redocly checks each `example` against the schema beside it with Ajv and ajv-formats (uuid,
    // email, date-time, …); alone here, so that this holds whatever its recommended set becomes.
    const config = await createConfig({ rules: { 'no-invalid-schema-examples': 'error' } });
    const problems = await lintFromString({ source: served, absoluteRef: 'openapi.json', config });
    expect(problems.map((problem) => `${problem.message} at ${problem.location[0]?.pointer}`)).toEqual([]);
  });

  it('is the committed openapi.json (after a deliberate change: npm run openapi:snapshot)', () => {
    expect(served).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });

  it('matches the committed client types (after a change: npm run openapi:types)', async () => {
    const generated = COMMENT_HEADER + astToString(await openapiTS(JSON.parse(served), { defaultNonNullable: false }));
    expect(readFileSync(join(process.cwd(), 'test/support/api-types.ts'), 'utf8')).toBe(generated);
  });
});
