import { join } from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { createTestDatabase, type TestDatabase } from '../../tests/harness/db.js';
import { engineConfigFromEnv, type RunningEngine, startEngine } from '../src/index.js';

const metadataDir = join(import.meta.dirname, '..', '..', 'hasura', 'metadata');
const secret = 'platform-metadata-secret';

let db: TestDatabase;
let engine: RunningEngine | undefined;

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  if (engine === undefined) throw new Error('the engine did not start');
  const response = await fetch(`${engine.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': secret, ...headers },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  db = await createTestDatabase('engine-platform', { migrated: true });
  engine = await startEngine(
    engineConfigFromEnv({
      HASURA_GRAPHQL_DATABASE_URL: db.url,
      HASURA_GRAPHQL_ADMIN_SECRET: secret,
      HASURA_GRAPHQL_METADATA_DIR: metadataDir,
      HASURA_GRAPHQL_SERVER_PORT: '0',
      HASURA_GRAPHQL_SERVER_HOST: '127.0.0.1',
      ACTION_BASE_URL: 'http://127.0.0.1:9',
    }),
  );
});

afterAll(async () => {
  await engine?.close();
  await db.drop();
});

describe('platform metadata', () => {
  it('loads consistently on the migrated database', async () => {
    const report = await post('/v1/metadata', { type: 'get_inconsistent_metadata', args: {} });
    expect(report.inconsistent_objects).toEqual([]);
    expect(report.is_consistent).toBe(true);
  });

  it('builds an introspectable schema for every role', async () => {
    const exported = await post('/v1/metadata', { type: 'export_metadata', args: {} });
    const roles = new Set<string>(['admin']);
    const text = JSON.stringify(exported);
    for (const match of text.matchAll(/"role":"([^"]+)"/g))
      if (match[1] !== undefined) roles.add(match[1]);
    for (const role of roles) {
      const result = await post(
        '/v1/graphql',
        { query: getIntrospectionQuery() },
        { 'x-hasura-role': role },
      );
      expect({ role, errors: result.errors }).toEqual({ role, errors: undefined });
    }
  });
});
