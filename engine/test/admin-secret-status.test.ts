import { metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

const setupSql = `CREATE TABLE note (id serial PRIMARY KEY, body text NOT NULL);
INSERT INTO note (body) VALUES ('a');`;

let t: TestEngine;

beforeAll(async () => {
  const tables = [{ table: { schema: 'public', name: 'note' } }];
  t = await startTestEngine('engine-admin-secret-status', setupSql, metadataWith(tables));
});

afterAll(async () => {
  await t.stop();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.engine.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const missing = 'x-hasura-admin-secret/x-hasura-access-key required, but not found';
const wrong = 'invalid x-hasura-admin-secret/x-hasura-access-key';

describe('admin secret status', () => {
  it.each(['/v1/query', '/v2/query', '/v1/metadata'])('answers 401 on %s', async (path) => {
    const request = { type: 'run_sql', args: { sql: 'SELECT 1' } };
    const without = await post(path, request);
    expect(without.status).toBe(401);
    expect(without.body).toEqual({ path: '$', error: missing, code: 'access-denied' });
    const bad = await post(path, request, { 'x-hasura-admin-secret': 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ path: '$', error: wrong, code: 'access-denied' });
  });

  it('keeps 200 on /v1/graphql', async () => {
    const reply = await post('/v1/graphql', { query: '{ note { id } }' });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      errors: [{ message: missing, extensions: { path: '$', code: 'access-denied' } }],
    });
  });

  it('answers 401 on /v1alpha1/graphql', async () => {
    const reply = await post('/v1alpha1/graphql', { query: '{ note { id } }' });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({
      errors: [{ message: missing, extensions: { path: '$', code: 'access-denied' } }],
    });
  });
});

describe('/v1alpha1/graphql', () => {
  const admin = { 'x-hasura-admin-secret': 'test-admin-secret' };

  it('answers 400 for a failed request', async () => {
    const reply = await post('/v1alpha1/graphql', { query: '{ note { missing } }' }, admin);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      errors: [{ extensions: { code: 'validation-failed' } }],
    });
  });

  it('answers 200 with data', async () => {
    const reply = await post('/v1alpha1/graphql', { query: '{ note { id } }' }, admin);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: { note: [{ id: 1 }] } });
  });
});

describe('REST endpoints without the admin secret', () => {
  it('answers 401 before matching the method', async () => {
    const response = await fetch(`${t.engine.url}/api/rest/anything`, { method: 'DELETE' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ path: '$', error: missing, code: 'access-denied' });
  });
});
