import { asRole, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

const setupSql = `CREATE TABLE doc (id int PRIMARY KEY, owner text NOT NULL, public boolean NOT NULL, body text NOT NULL);
INSERT INTO doc VALUES (1, 'u1', false, 'mine'), (2, 'u2', true, 'shared'), (3, 'u2', false, 'private');`;

const tables = [
  {
    table: { schema: 'public', name: 'doc' },
    select_permissions: [
      {
        role: 'owner',
        permission: { columns: ['id', 'body'], filter: { owner: { _eq: 'X-Hasura-User-Id' } } },
      },
      {
        role: 'reader',
        permission: {
          columns: ['id'],
          filter: { public: { _eq: true } },
          limit: 5,
          allow_aggregations: true,
        },
      },
    ],
  },
];

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine(
    'engine-inherited-roles',
    setupSql,
    metadataWith(tables, {
      inherited_roles: [{ role_name: 'member', role_set: ['owner', 'reader'] }],
    }),
  );
});

afterAll(async () => {
  await t.stop();
});

describe('inherited roles', () => {
  it('unions the rows and columns of the parent roles', async () => {
    const { body } = await t.graphql('{ doc(order_by: {id: asc}) { id body } }', {
      headers: asRole('member', { 'x-hasura-user-id': 'u1' }),
    });
    expect(body.data).toEqual({
      doc: [
        { id: 1, body: 'mine' },
        { id: 2, body: 'shared' },
      ],
    });
  });

  it('allows aggregates when a parent role does', async () => {
    const { body } = await t.graphql('{ doc_aggregate { aggregate { count } } }', {
      headers: asRole('member', { 'x-hasura-user-id': 'u1' }),
    });
    expect(body.data).toEqual({ doc_aggregate: { aggregate: { count: 2 } } });
  });

  it('is managed through the metadata API', async () => {
    const added = await t.admin({
      type: 'add_inherited_role',
      args: { role_name: 'both', role_set: ['reader'] },
    });
    expect(added.body).toEqual({ message: 'success' });
    const { body } = await t.graphql('{ doc { id } }', { headers: asRole('both') });
    expect(body.data).toEqual({ doc: [{ id: 2 }] });
    const dropped = await t.admin({ type: 'drop_inherited_role', args: { role_name: 'both' } });
    expect(dropped.body).toEqual({ message: 'success' });
    const after = await t.graphql('{ doc { id } }', { headers: asRole('both') });
    expect(after.body.errors?.[0]?.message).toBe("field 'doc' not found in type: 'query_root'");
  });
});
