import { join } from 'node:path';
import { adminSecret, asRole, startTestEngine, type TestEngine } from './engine-harness.js';

const ann = '0a0a0a0a-0000-0000-0000-000000000001';
let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine(
    'engine-rest',
    `CREATE TABLE users (id uuid PRIMARY KEY, display_name text NOT NULL);
     INSERT INTO users VALUES ('${ann}', 'Ann'), ('0a0a0a0a-0000-0000-0000-000000000002', 'Bob');`,
    undefined,
    {
      HASURA_GRAPHQL_METADATA_DIR: join(import.meta.dirname, 'fixtures', 'metadata'),
      HASURA_GRAPHQL_ENABLE_ALLOWLIST: 'true',
      ACTIONS_BASE_URL: 'http://127.0.0.1:9',
    },
  );
});

afterAll(async () => {
  await t.stop();
});

async function rest(path: string, init: RequestInit = {}) {
  const response = await fetch(`${t.engine.url}/api/rest/${path}`, {
    ...init,
    headers: { 'x-hasura-admin-secret': adminSecret, ...(init.headers ?? {}) },
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('RESTified endpoints', () => {
  it('binds path parameters to variables', async () => {
    const { status, body } = await rest(`users/${ann}`);
    expect(status).toBe(200);
    expect(body).toEqual({ user: { id: ann, displayName: 'Ann' } });
  });

  it('binds the query string with the declared types', async () => {
    const { body } = await rest('users?limit=1');
    expect(body).toEqual({ users: [{ displayName: 'Ann' }] });
  });

  it('binds a JSON body', async () => {
    const { body } = await rest('users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ limit: 2 }),
    });
    expect(body).toEqual({ users: [{ displayName: 'Ann' }, { displayName: 'Bob' }] });
  });

  it('applies the caller role', async () => {
    const { body } = await rest(`users/${ann}`, {
      headers: asRole('user', { 'x-hasura-user-id': ann }),
    });
    expect(body).toEqual({ user: { id: ann, displayName: 'Ann' } });
  });

  it('rejects other methods and unknown paths', async () => {
    const wrongMethod = await rest(`users/${ann}`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body).toEqual({
      path: '$',
      error: 'Method not allowed',
      code: 'method-not-allowed',
    });
    const missing = await rest('nothing/here');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ path: '$', error: 'Endpoint not found', code: 'not-found' });
  });
});

describe('allowlist', () => {
  it('rejects queries outside the allowlist for non-admin roles', async () => {
    const { body } = await t.graphql('{ users { id } }', {
      headers: asRole('user', { 'x-hasura-user-id': ann }),
    });
    expect(body.errors).toEqual([
      { message: 'query is not allowed', extensions: { path: '$', code: 'validation-failed' } },
    ]);
  });

  it('accepts a listed query regardless of formatting', async () => {
    const query = `query user_by_id($id: uuid!) { user(id: $id) { id displayName } }`;
    const { body } = await t.graphql(query, {
      variables: { id: ann },
      headers: asRole('user', { 'x-hasura-user-id': ann }),
    });
    expect(body.data).toEqual({ user: { id: ann, displayName: 'Ann' } });
  });

  it('exempts admin', async () => {
    const { body } = await t.graphql('{ users(limit: 1) { id } }');
    expect(body.data).toEqual({ users: [{ id: ann }] });
  });
});
