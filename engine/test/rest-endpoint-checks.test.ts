import { metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

const collection = {
  name: 'api',
  definition: {
    queries: [
      { name: 'notes', query: 'query { note { id } }' },
      { name: 'watch', query: 'subscription { note { id } }' },
    ],
  },
};

let t: TestEngine;

beforeAll(async () => {
  const tables = [{ table: { schema: 'public', name: 'note' } }];
  t = await startTestEngine(
    'engine-rest-endpoint-checks',
    'CREATE TABLE note (id serial PRIMARY KEY);',
    metadataWith(tables, { query_collections: [collection] }),
  );
});

afterAll(async () => {
  await t.stop();
});

function endpoint(name: string, url: string, query = 'notes') {
  return {
    type: 'create_rest_endpoint',
    args: {
      name,
      url,
      methods: ['GET'],
      definition: { query: { collection_name: 'api', query_name: query } },
    },
  };
}

describe('create_rest_endpoint checks', () => {
  it.each([
    ['foo/', 'Empty segments or unnamed variables are not allowed: foo/'],
    ['foo/:/bar', 'Empty segments or unnamed variables are not allowed: foo/:/bar'],
    ['foo/:id/bar/:id', 'Duplicate variables found in endpoint path: foo/:id/bar/:id'],
  ])('rejects the URL %s', async (url, reason) => {
    const reply = await t.admin(endpoint('bad', url));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      path: '$.args',
      error: reason,
      code: 'invalid-configuration',
    });
    expect(reply.body).toMatchObject({
      internal: [{ reason, name: 'rest_endpoint bad', type: 'rest_endpoint' }],
    });
  });

  it('rejects a subscription', async () => {
    const reply = await t.admin(endpoint('live', 'notes/live', 'watch'));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      error: 'Inconsistent object: in endpoint live: query with name watch is a subscription',
      code: 'invalid-configuration',
    });
  });

  it('accepts a valid endpoint', async () => {
    const reply = await t.admin(endpoint('notes', 'notes/:id'));
    expect(reply).toEqual({ status: 200, body: { message: 'success' } });
  });
});
