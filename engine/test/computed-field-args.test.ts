import { asRole, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

const setupSql = `
CREATE TABLE person (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE post (id int PRIMARY KEY, person_id int NOT NULL REFERENCES person(id), title text NOT NULL);
INSERT INTO person VALUES (1, 'Ada'), (2, 'Alan');
INSERT INTO post VALUES (1, 1, 'Notes on engines'), (2, 1, 'Letters'), (3, 2, 'Engines');
CREATE FUNCTION posts_matching(person_row person, search text) RETURNS SETOF post
  LANGUAGE sql STABLE AS
  $$ SELECT * FROM post WHERE person_id = person_row.id AND title ILIKE '%' || search || '%' $$;
CREATE FUNCTION name_times(person_row person, times int DEFAULT 2) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT repeat(person_row.name, times) $$;
`;

const tables = [
  {
    table: { schema: 'public', name: 'person' },
    computed_fields: [
      { name: 'posts', definition: { function: 'posts_matching', table_argument: 'person_row' } },
      { name: 'repeated', definition: { function: 'name_times' } },
    ],
    select_permissions: [
      {
        role: 'guest',
        permission: {
          columns: [],
          computed_fields: ['repeated'],
          filter: { id: 'X-Hasura-User-Id' },
        },
      },
      {
        role: 'reader',
        permission: {
          columns: ['id'],
          computed_fields: ['repeated'],
          filter: { id: 'X-Hasura-User-Id' },
        },
      },
    ],
  },
  {
    table: { schema: 'public', name: 'post' },
    select_permissions: [
      { role: 'reader', permission: { columns: ['id', 'title'], filter: {} } },
      { role: 'guest', permission: { columns: '*', filter: {} } },
    ],
  },
];

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine('engine-computed-args', setupSql, metadataWith(tables), {
    HASURA_GRAPHQL_DEV_MODE: 'true',
  });
});

afterAll(async () => {
  await t.stop();
});

describe('computed field args', () => {
  it('passes args to a table function', async () => {
    const { body } = await t.graphql(
      '{ person(where: {id: {_eq: 1}}) { posts(args: {search: "engines"}) { id } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ person: [{ posts: [{ id: 1 }] }] });
  });

  it('passes args from variables', async () => {
    const { body } = await t.graphql(
      'query ($s: String!) { person(order_by: {id: asc}) { posts(args: {search: $s}) { title } } }',
      { variables: { s: 'engines' } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      person: [{ posts: [{ title: 'Notes on engines' }] }, { posts: [{ title: 'Engines' }] }],
    });
  });

  it('uses the default of a left out arg', async () => {
    const { body } = await t.graphql(
      '{ person(where: {id: {_eq: 2}}) { repeated twice: repeated(args: {times: 3}) } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ person: [{ repeated: 'AlanAlan', twice: 'AlanAlanAlan' }] });
  });

  it('requires args without defaults', async () => {
    const { body } = await t.graphql('{ person { posts { id } } }');
    expect(body.errors?.[0]?.extensions.code).toBe('validation-failed');
    expect(body.errors?.[0]?.message).toBe("missing required field 'args'");
    const empty = await t.graphql('{ person { posts(args: {}) { id } } }');
    expect(empty.body.errors?.[0]?.message).toBe("missing required field 'search'");
  });

  it('passes args under a role with session filters', async () => {
    const { body } = await t.graphql('{ person { id repeated(args: {times: 1}) } }', {
      headers: asRole('reader', { 'x-hasura-user-id': '1' }),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ person: [{ id: 1, repeated: 'Ada' }] });
  });

  it('passes args to a table function under a role', async () => {
    const { body } = await t.graphql('{ person { posts(args: {search: "notes"}) { id } } }', {
      headers: asRole('reader', { 'x-hasura-user-id': '1' }),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ person: [{ posts: [{ id: 1 }] }] });
  });

  it('passes args for a role without columns', async () => {
    const { body } = await t.graphql(
      '{ person { repeated posts(args: {search: "notes"}) { id title } } }',
      { headers: asRole('guest', { 'x-hasura-user-id': '1' }) },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      person: [{ repeated: 'AdaAda', posts: [{ id: 1, title: 'Notes on engines' }] }],
    });
  });
});
