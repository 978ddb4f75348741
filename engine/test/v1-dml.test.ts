import { metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine(
    'engine-v1-dml',
    'CREATE TABLE thing (id serial PRIMARY KEY, name text NOT NULL, data jsonb, tags text[]);',
    metadataWith([{ table: { schema: 'public', name: 'thing' } }]),
  );
});

afterAll(async () => {
  await t.stop();
});

const query = (body: unknown) => t.admin(body, '/v1/query');

describe('v1 DML queries', () => {
  it('inserts rows with returning', async () => {
    const { status, body } = await query({
      type: 'insert',
      args: {
        table: 'thing',
        objects: [{ name: 'a', data: { x: 1 }, tags: ['p'] }, { name: 'b' }],
        returning: ['id', 'name'],
      },
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      affected_rows: 2,
      returning: [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ],
    });
  });

  it('selects, counts, updates and deletes with filters', async () => {
    const selected = await query({
      type: 'select',
      args: { table: 'thing', columns: ['*'], where: { name: 'a' } },
    });
    expect(selected.body).toEqual([{ id: 1, name: 'a', data: { x: 1 }, tags: ['p'] }]);
    const counted = await query({
      type: 'count',
      args: { table: 'thing', where: { id: { $gt: 0 } } },
    });
    expect(counted.body).toEqual({ count: 2 });
    const updated = await query({
      type: 'update',
      args: { table: 'thing', where: { id: 2 }, $set: { name: 'bb' }, returning: ['name'] },
    });
    expect(updated.body).toEqual({ affected_rows: 1, returning: [{ name: 'bb' }] });
    const deleted = await query({
      type: 'delete',
      args: { table: 'thing', where: { name: { _eq: 'bb' } } },
    });
    expect(deleted.body).toEqual({ affected_rows: 1 });
  });

  it('sees tables tracked earlier in the same bulk', async () => {
    await t.sql('CREATE TABLE fresh (id int PRIMARY KEY)');
    const { status, body } = await query({
      type: 'bulk',
      args: [
        { type: 'track_table', args: 'fresh' },
        { type: 'insert', args: { table: 'fresh', objects: [{ id: 7 }] } },
      ],
    });
    expect(status).toBe(200);
    expect(body).toEqual([{ message: 'success' }, { affected_rows: 1 }]);
  });

  it('reports constraint violations', async () => {
    const { status, body } = await query({
      type: 'insert',
      args: { table: 'thing', objects: [{ id: 1, name: 'dup' }] },
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'constraint-violation', path: '$.args' });
  });

  it('is not part of the metadata API', async () => {
    const { status, body } = await t.admin({ type: 'count', args: { table: 'thing' } });
    expect(status).toBe(400);
    expect(body).toEqual({
      path: '$.type',
      error: 'unknown metadata command "count"',
      code: 'parse-failed',
    });
  });
});
