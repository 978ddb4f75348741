import { asRole, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

// A role that may update and delete every note but select only the public ones. Hasura v2
// builds mutation output over the changed rows with no row filter (see compile/mutation.ts),
// so these tests pin that output to the changed rows, while column permissions still apply.
const setupSql = `
  CREATE TABLE note (
    id int PRIMARY KEY,
    body text NOT NULL,
    public boolean NOT NULL,
    secret text NOT NULL DEFAULT 's'
  );
  INSERT INTO note (id, body, public) VALUES (1, 'open', true), (2, 'hidden', false),
    (3, 'hidden too', false), (4, 'gone', false);
`;

const noteTable = {
  table: { schema: 'public', name: 'note' },
  select_permissions: [
    {
      role: 'editor',
      permission: { columns: ['id', 'body', 'public'], filter: { public: { _eq: true } } },
    },
  ],
  insert_permissions: [
    { role: 'editor', permission: { columns: ['id', 'body', 'public'], check: {} } },
  ],
  update_permissions: [{ role: 'editor', permission: { columns: ['body'], filter: {} } }],
  delete_permissions: [{ role: 'editor', permission: { filter: {} } }],
};

const editor = () => asRole('editor');

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine('engine-mutation-returning', setupSql, metadataWith([noteTable]));
});

afterAll(async () => {
  await t.stop();
});

describe('mutation output and the select filter', () => {
  it('hides unselectable rows from queries', async () => {
    const { body } = await t.graphql('{ note(order_by: {id: asc}) { id } }', {
      headers: editor(),
    });
    expect(body.data).toEqual({ note: [{ id: 1 }] });
  });

  it('returns updated rows outside the select filter', async () => {
    const { body } = await t.graphql(
      'mutation { update_note(where: {id: {_eq: 2}}, _set: {body: "edited"}) { returning { id body } } }',
      { headers: editor() },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ update_note: { returning: [{ id: 2, body: 'edited' }] } });
  });

  it('returns the by_pk row outside the select filter', async () => {
    const { body } = await t.graphql(
      'mutation { update_note_by_pk(pk_columns: {id: 3}, _set: {body: "x"}) { id body } }',
      { headers: editor() },
    );
    expect(body.data).toEqual({ update_note_by_pk: { id: 3, body: 'x' } });
  });

  it('returns inserted rows outside the select filter', async () => {
    const { body } = await t.graphql(
      'mutation { insert_note_one(object: {id: 5, body: "new", public: false}) { id public } }',
      { headers: editor() },
    );
    expect(body.data).toEqual({ insert_note_one: { id: 5, public: false } });
  });

  it('returns deleted rows outside the select filter', async () => {
    const { body } = await t.graphql(
      'mutation { delete_note(where: {id: {_eq: 4}}) { affected_rows returning { id } } }',
      { headers: editor() },
    );
    expect(body.data).toEqual({ delete_note: { affected_rows: 1, returning: [{ id: 4 }] } });
  });

  it('keeps column permissions in returning', async () => {
    const { body } = await t.graphql(
      'mutation { update_note(where: {id: {_eq: 1}}, _set: {body: "y"}) { returning { secret } } }',
      { headers: editor() },
    );
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions.code).toBe('validation-failed');
    expect(body.errors?.[0]?.message).toBe("field 'secret' not found in type: 'note'");
  });
});
