import { asRole, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

const setupSql = `CREATE TABLE note (id serial PRIMARY KEY, body text NOT NULL);
INSERT INTO note (body) VALUES ('first note'), ('second note'), ('other');
CREATE FUNCTION search_notes(search text) RETURNS SETOF note AS $$
  SELECT * FROM note WHERE body ILIKE ('%' || search || '%')
$$ LANGUAGE sql STABLE;
CREATE FUNCTION same_note(sample note) RETURNS SETOF note AS $$
  SELECT * FROM note WHERE id = sample.id
$$ LANGUAGE sql STABLE;`;

let t: TestEngine;

beforeAll(async () => {
  const tables = [
    {
      table: { schema: 'public', name: 'note' },
      select_permissions: [
        { role: 'reader', permission: { columns: ['id'], filter: { id: { _gt: 1 } } } },
      ],
    },
  ];
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

  it('serves the function as a root field', async () => {
    const { body } = await t.graphql(
      '{ search_notes(args: {search: "note"}, order_by: {id: desc}) { id body } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      search_notes: [
        { id: 2, body: 'second note' },
        { id: 1, body: 'first note' },
      ],
    });
  });

  it('aggregates the rows of the function', async () => {
    const { body } = await t.graphql(
      '{ search_notes_aggregate(args: {search: "note"}) { aggregate { count } } }',
    );
    expect(body.data).toEqual({ search_notes_aggregate: { aggregate: { count: 2 } } });
  });

  it('applies the select permission of the returned table', async () => {
    const { body } = await t.graphql('{ search_notes(args: {search: "note"}) { id } }', {
      headers: asRole('reader'),
    });
    expect(body.data).toEqual({ search_notes: [{ id: 2 }] });
    const aggregate = await t.graphql(
      '{ search_notes_aggregate(args: {search: "x"}) { nodes { id } } }',
      {
        headers: asRole('reader'),
      },
    );
    expect(aggregate.body.errors?.[0]?.extensions.code).toBe('validation-failed');
  });

  it('takes a row argument as text', async () => {
    const tracked = await t.admin({ type: 'track_function', args: { name: 'same_note' } });
    expect(tracked.status).toBe(200);
    const { body } = await t.graphql('{ same_note(args: {sample: "(2,x)"}) { id } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ same_note: [{ id: 2 }] });
    const introspected = await t.graphql(
      '{ __type(name: "same_note_args") { inputFields { name type { name } } } }',
    );
    expect(introspected.body.data).toEqual({
      __type: { inputFields: [{ name: 'sample', type: { name: 'note_scalar' } }] },
    });
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
    expect(await exportedFunctions()).toEqual([
      { function: { schema: 'public', name: 'same_note' } },
    ]);
  });
});
