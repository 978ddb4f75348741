import { asRole, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

const setupSql = `
CREATE TABLE person (id int PRIMARY KEY, first_name text NOT NULL, last_name text);
CREATE TABLE post (id int PRIMARY KEY, person_id int NOT NULL REFERENCES person(id), title text NOT NULL);
INSERT INTO person VALUES (1, 'Ada', 'Lovelace'), (2, 'Alan', NULL);
INSERT INTO post VALUES (1, 1, 'Notes'), (2, 1, 'Engines'), (3, 2, 'Machines');
CREATE FUNCTION full_name(person_row person) RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT person_row.first_name || coalesce(' ' || person_row.last_name, '') $$;
CREATE FUNCTION viewer_id(person_row person, hasura_session json) RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT hasura_session->>'x-hasura-user-id' $$;
CREATE FUNCTION posts_titled(person_row person) RETURNS SETOF post LANGUAGE sql STABLE AS
  $$ SELECT * FROM post WHERE person_id = person_row.id $$;
`;

const tables = [
  {
    table: { schema: 'public', name: 'person' },
    computed_fields: [
      { name: 'full_name', definition: { function: { schema: 'public', name: 'full_name' } } },
      {
        name: 'viewer',
        definition: {
          function: 'viewer_id',
          table_argument: 'person_row',
          session_argument: 'hasura_session',
        },
      },
      { name: 'posts', definition: { function: 'posts_titled' } },
    ],
    select_permissions: [
      {
        role: 'reader',
        permission: { columns: ['id'], computed_fields: ['full_name'], filter: {} },
      },
    ],
  },
  {
    table: { schema: 'public', name: 'post' },
    select_permissions: [
      { role: 'reader', permission: { columns: ['title'], filter: { id: { _neq: 2 } } } },
    ],
  },
];

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine('engine-computed', setupSql, metadataWith(tables));
});

afterAll(async () => {
  await t.stop();
});

describe('computed fields', () => {
  it('returns scalar computed fields', async () => {
    const { body } = await t.graphql('{ person(order_by: {id: asc}) { id full_name } }');
    expect(body.data).toEqual({
      person: [
        { id: 1, full_name: 'Ada Lovelace' },
        { id: 2, full_name: 'Alan' },
      ],
    });
  });

  it('passes the session to the session argument', async () => {
    const { body } = await t.graphql('{ person_by_pk(id: 1) { viewer } }', {
      headers: asRole('admin', { 'x-hasura-user-id': 'u-7' }),
    });
    expect(body.data).toEqual({ person_by_pk: { viewer: 'u-7' } });
  });

  it('selects rows of table computed fields with arguments', async () => {
    const { body } = await t.graphql(
      '{ person_by_pk(id: 1) { posts(order_by: {title: asc}, where: {title: {_neq: "x"}}) { title } } }',
    );
    expect(body.data).toEqual({
      person_by_pk: { posts: [{ title: 'Engines' }, { title: 'Notes' }] },
    });
  });

  it('applies permissions to computed fields', async () => {
    const headers = asRole('reader');
    const allowed = await t.graphql('{ person_by_pk(id: 1) { full_name posts { title } } }', {
      headers,
    });
    expect(allowed.body.data).toEqual({
      person_by_pk: { full_name: 'Ada Lovelace', posts: [{ title: 'Notes' }] },
    });
    const hidden = await t.graphql('{ person { viewer } }', { headers });
    expect(hidden.body.errors?.[0]?.message).toBe("field 'viewer' not found in type: 'person'");
  });

  it('reports a missing function as inconsistent', async () => {
    const broken = [
      { ...tables[0], computed_fields: [{ name: 'nope', definition: { function: 'no_such_fn' } }] },
    ];
    const { status, body } = await t.admin({
      type: 'replace_metadata',
      version: 2,
      args: { allow_inconsistent_metadata: true, metadata: metadataWith(broken) },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      is_consistent: false,
      inconsistent_objects: [
        {
          type: 'computed_field',
          reason: 'Inconsistent object: no such function exists: "public.no_such_fn"',
        },
      ],
    });
  });
});
