import { asRole, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';
import { blogSql, blogTables } from './fixtures/blog.js';

const tenantA = '11111111-1111-1111-1111-111111111111';
const member = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa';
const user = () => asRole('user', { 'x-hasura-user-id': member, 'x-hasura-tenant-id': tenantA });

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine('engine-mutations', blogSql, metadataWith(blogTables));
});

afterAll(async () => {
  await t.stop();
});

describe('insert', () => {
  it('inserts rows and returns them', async () => {
    const { body } = await t.graphql(
      `mutation($objects: [article_insert_input!]!) {
        insert_article(objects: $objects) { affected_rows returning { title views author { name } } }
      }`,
      {
        variables: {
          objects: [
            { title: 'New 1', author_id: 1 },
            { title: 'New 2', author_id: 2, views: 7 },
          ],
        },
      },
    );
    expect(body.data).toEqual({
      insert_article: {
        affected_rows: 2,
        returning: [
          { title: 'New 1', views: 0, author: { name: 'Ann' } },
          { title: 'New 2', views: 7, author: { name: 'Bob' } },
        ],
      },
    });
  });

  it('fills presets from session variables', async () => {
    const { body } = await t.graphql(
      'mutation { insert_author_one(object: {name: "Dee"}) { name tenant_id } }',
      {
        headers: user(),
      },
    );
    expect(body.data).toEqual({ insert_author_one: { name: 'Dee', tenant_id: tenantA } });
  });

  it('rejects rows that fail the insert check', async () => {
    const { body } = await t.graphql(
      'mutation { insert_author(objects: [{name: "admin-x"}]) { affected_rows } }',
      {
        headers: user(),
      },
    );
    expect(body.errors).toEqual([
      {
        message: 'check constraint of an insert/update permission has failed',
        extensions: { path: '$.selectionSet.insert_author.args.objects', code: 'permission-error' },
      },
    ]);
    const stored = await t.sql("SELECT count(*)::int AS n FROM author WHERE name = 'admin-x'");
    expect(stored.rows[0]?.n).toBe(0);
  });

  it('rejects preset and unknown columns', async () => {
    const { body } = await t.graphql(
      `mutation { insert_author(objects: [{name: "X", tenant_id: "${tenantA}"}]) { affected_rows } }`,
      { headers: user() },
    );
    expect(body.errors?.[0]?.message).toBe(
      "field 'tenant_id' not found in type: 'author_insert_input'",
    );
  });

  it('upserts on conflict', async () => {
    const query = `mutation($email: citext) {
      insert_author(
        objects: [{name: "Ann Again", email: $email, tenant_id: "${tenantA}"}],
        on_conflict: {constraint: author_email_key, update_columns: [name]}
      ) { affected_rows returning { id name } }
    }`;
    const { body } = await t.graphql(query, { variables: { email: 'ann@example.com' } });
    expect(body.data).toEqual({
      insert_author: { affected_rows: 1, returning: [{ id: 1, name: 'Ann Again' }] },
    });
  });

  it('reports a uniqueness violation', async () => {
    const { body } = await t.graphql(
      `mutation { insert_author_one(object: {name: "B", email: "bob@example.com", tenant_id: "${tenantA}"}) { id } }`,
    );
    expect(body.errors?.[0]?.extensions.code).toBe('constraint-violation');
    expect(body.errors?.[0]?.message).toMatch(
      /^Uniqueness violation\. duplicate key value violates unique constraint "author_email_key"/,
    );
  });

  it('reports a foreign key violation', async () => {
    const { body } = await t.graphql(
      'mutation { insert_article_one(object: {title: "x", author_id: 999}) { id } }',
    );
    expect(body.errors?.[0]?.extensions.code).toBe('constraint-violation');
    expect(body.errors?.[0]?.message).toMatch(
      /^Foreign key violation\. insert or update on table "article"/,
    );
  });
});

describe('update', () => {
  it('updates with _set and _inc', async () => {
    const { body } = await t.graphql(`mutation {
      update_article(where: {title: {_eq: "Alpha"}}, _set: {title: "Alpha 2"}, _inc: {views: 5}) {
        affected_rows returning { title views }
      }
    }`);
    expect(body.data).toEqual({
      update_article: { affected_rows: 1, returning: [{ title: 'Alpha 2', views: 15 }] },
    });
  });

  it('updates by primary key', async () => {
    const { body } = await t.graphql(
      'mutation { update_author_by_pk(pk_columns: {id: 2}, _set: {name: "Bobby"}) { id name } }',
    );
    expect(body.data).toEqual({ update_author_by_pk: { id: 2, name: 'Bobby' } });
  });

  it('limits updates to rows the filter allows', async () => {
    const { body } = await t.graphql(
      'mutation { update_author(where: {}, _set: {name: "Same"}) { affected_rows } }',
      {
        headers: user(),
      },
    );
    expect(body.data).toEqual({ update_author: { affected_rows: 3 } });
    const other = await t.sql('SELECT name FROM author WHERE tenant_id <> $1', [tenantA]);
    expect(other.rows).toEqual([{ name: 'Cid' }]);
  });

  it('rejects rows that fail the update check', async () => {
    const { body } = await t.graphql(
      'mutation { update_author(where: {}, _set: {name: ""}) { affected_rows } }',
      {
        headers: user(),
      },
    );
    expect(body.errors?.[0]?.message).toBe(
      'check constraint of an insert/update permission has failed',
    );
    expect(body.errors?.[0]?.extensions.code).toBe('permission-error');
  });
});

describe('delete', () => {
  it('deletes by filter and by primary key', async () => {
    await t.sql(
      "INSERT INTO article (id, title, author_id) VALUES (100, 'gone', 1), (101, 'gone too', 3)",
    );
    const { body } = await t.graphql(`mutation {
      delete_article(where: {id: {_eq: 100}}) { affected_rows }
      delete_article_by_pk(id: 101) { title }
    }`);
    expect(body.data).toEqual({
      delete_article: { affected_rows: 1 },
      delete_article_by_pk: { title: 'gone too' },
    });
  });

  it('deletes only rows the role may delete', async () => {
    await t.sql("INSERT INTO article (id, title, author_id) VALUES (102, 'other tenant', 3)");
    const { body } = await t.graphql(
      'mutation { delete_article(where: {id: {_eq: 102}}) { affected_rows } }',
      {
        headers: user(),
      },
    );
    expect(body.data).toEqual({ delete_article: { affected_rows: 0 } });
  });
});

describe('mutation transaction', () => {
  it('rolls back every root field when one fails', async () => {
    const { body } = await t.graphql(`mutation {
      a: insert_article_one(object: {title: "kept?", author_id: 1}) { id }
      b: insert_article_one(object: {title: "bad", author_id: 999}) { id }
    }`);
    expect(body.errors?.[0]?.extensions.code).toBe('constraint-violation');
    const stored = await t.sql("SELECT count(*)::int AS n FROM article WHERE title = 'kept?'");
    expect(stored.rows[0]?.n).toBe(0);
  });

  it('sets hasura.user for the transaction', async () => {
    await t.sql(`CREATE TABLE audit (id serial PRIMARY KEY, who text);
      CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.who := current_setting('hasura.user')::json->>'x-hasura-user-id'; RETURN NEW; END $$;
      CREATE TRIGGER audit_stamp BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION stamp();`);
    const tables = [...blogTables, { table: { schema: 'public', name: 'audit' } }];
    const applied = await t.admin({ type: 'replace_metadata', args: metadataWith(tables) });
    expect(applied.status).toBe(200);
    const { body } = await t.graphql('mutation { insert_audit_one(object: {}) { who } }', {
      headers: asRole('admin', { 'x-hasura-user-id': 'u-42' }),
    });
    expect(body.data).toEqual({ insert_audit_one: { who: 'u-42' } });
  });

  it('rejects mutations for a role that has none', async () => {
    const { body } = await t.graphql('mutation { insert_author(objects: []) { affected_rows } }', {
      headers: asRole('stranger'),
    });
    expect(body.errors?.[0]?.message).toBe('no mutations exist');
  });
});
