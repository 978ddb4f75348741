import { metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine(
    'engine-jsonb-update',
    `CREATE TABLE doc (id int PRIMARY KEY, body jsonb NOT NULL);
     INSERT INTO doc VALUES (1, '{"a": 1, "b": {"c": 2}}'), (2, '[1, 2, 3]');`,
    metadataWith([{ table: { schema: 'public', name: 'doc' } }]),
  );
});

afterAll(async () => {
  await t.stop();
});

async function update(id: number, changes: string, variables?: Record<string, unknown>) {
  const declared = variables === undefined ? '' : '($value: jsonb)';
  const { body } = await t.graphql(
    `mutation${declared} { update_doc_by_pk(pk_columns: {id: ${id}}, ${changes}) { body } }`,
    variables === undefined ? {} : { variables },
  );
  expect(body.errors).toBeUndefined();
  const row = body.data?.update_doc_by_pk as { body: unknown } | undefined;
  return row?.body;
}

describe('jsonb update operators', () => {
  it('appends and prepends', async () => {
    expect(await update(2, '_append: {body: $value}', { value: [4] })).toEqual([1, 2, 3, 4]);
    expect(await update(2, '_prepend: {body: $value}', { value: [0] })).toEqual([0, 1, 2, 3, 4]);
    expect(await update(1, '_append: {body: $value}', { value: { d: 4 } })).toEqual({
      a: 1,
      b: { c: 2 },
      d: 4,
    });
  });

  it('deletes keys, elements and paths', async () => {
    expect(await update(1, '_delete_key: {body: "d"}')).toEqual({ a: 1, b: { c: 2 } });
    expect(await update(1, '_delete_at_path: {body: ["b", "c"]}')).toEqual({ a: 1, b: {} });
    expect(await update(2, '_delete_elem: {body: 0}')).toEqual([1, 2, 3, 4]);
  });

  it('rejects two operators on one column', async () => {
    const { body } = await t.graphql(
      'mutation { update_doc(where: {}, _delete_key: {body: "a"}, _delete_elem: {body: 1}) { affected_rows } }',
    );
    expect(body.errors?.[0]?.message).toBe(
      'column found in multiple operators; "body" in more than one operator',
    );
    expect(body.errors?.[0]?.extensions.code).toBe('validation-failed');
  });
});
