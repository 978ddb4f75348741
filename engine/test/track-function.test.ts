import { metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

const setupSql = `CREATE TABLE note (id serial PRIMARY KEY, body text NOT NULL);
CREATE FUNCTION search_notes(search text) RETURNS SETOF note AS $$
  SELECT * FROM note WHERE body ILIKE ('%' || search || '%')
$$ LANGUAGE sql STABLE;`;

let t: TestEngine;

beforeAll(async () => {
  const tables = [{ table: { schema: 'public', name: 'note' } }];
  t = await startTestEngine('engine-track-function', setupSql, metadataWith(tables));
});

afterAll(async () => {
  await t.stop();
});

async function exportedFunctions(): Promise<unknown> {
  const exported = await t.admin({ type: 'export_metadata', args: {} });
  const metadata = exported.body as { sources: { functions?: unknown[] }[] };
  return metadata.sources[0]?.functions;
}

describe('track_function', () => {
  it('stores the function in the source', async () => {
    const tracked = await t.admin(
      { type: 'track_function', args: { name: 'search_notes', schema: 'public' } },
      '/v1/query',
    );
    expect(tracked).toEqual({ status: 200, body: { message: 'success' } });
    expect(await exportedFunctions()).toEqual([
      { function: { schema: 'public', name: 'search_notes' } },
    ]);
  });

  it('rejects a function tracked twice', async () => {
    const again = await t.admin({
      type: 'pg_track_function',
      args: { function: { schema: 'public', name: 'search_notes' }, source: 'default' },
    });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'already-tracked' });
  });

  it('rejects a missing function', async () => {
    const missing = await t.admin({ type: 'track_function', args: { name: 'no_such_fn' } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      path: '$.args',
      error: 'no such function exists in postgres : "no_such_fn"',
      code: 'not-exists',
    });
  });

  it('untracks the function', async () => {
    const untracked = await t.admin({
      type: 'untrack_function',
      args: { name: 'search_notes', schema: 'public' },
    });
    expect(untracked).toEqual({ status: 200, body: { message: 'success' } });
    expect(await exportedFunctions()).toEqual([]);
  });
});
