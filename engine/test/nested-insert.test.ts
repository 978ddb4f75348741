import { asRole, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';
import { blogSql, blogTables } from './fixtures/blog.js';

const tenantA = '11111111-1111-1111-1111-111111111111';

const tables = blogTables.map((entry) =>
  entry.table.name === 'article'
    ? {
        ...entry,
        insert_permissions: [
          {
            role: 'user',
            permission: {
              columns: ['title', 'author_id', 'rating'],
              check: { rating: { _gte: 1 } },
            },
          },
        ],
      }
    : entry,
);

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine('engine-nested-insert', blogSql, metadataWith(tables));
});

afterAll(async () => {
  await t.stop();
});

describe('nested insert', () => {
  it('inserts array relationship rows with the parent key', async () => {
    const { body } = await t.graphql(`mutation {
      insert_author(objects: [{
        name: "Eve", tenant_id: "${tenantA}",
        articles: {data: [{title: "E1"}, {title: "E2", rating: 2}]}
      }]) { affected_rows returning { name articles(order_by: {title: asc}) { title rating } } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      insert_author: {
        affected_rows: 3,
        returning: [
          {
            name: 'Eve',
            articles: [
              { title: 'E1', rating: null },
              { title: 'E2', rating: 2 },
            ],
          },
        ],
      },
    });
  });

  it('inserts the object relationship row first', async () => {
    const { body } = await t.graphql(`mutation {
      insert_article_one(object: {title: "F1", author: {data: {name: "Fay", tenant_id: "${tenantA}"}}}) {
        title author { name }
      }
    }`);
    expect(body.data).toEqual({ insert_article_one: { title: 'F1', author: { name: 'Fay' } } });
  });

  it('rejects a column the parent determines', async () => {
    const { body } = await t.graphql(`mutation {
      insert_author_one(object: {name: "G", tenant_id: "${tenantA}", articles: {data: [{title: "G1", author_id: 1}]}}) { id }
    }`);
    expect(body.errors?.[0]?.message).toBe(
      'cannot insert "author_id" columns as their values are already being determined by parent insert',
    );
  });

  it('checks the permissions of nested rows', async () => {
    const headers = asRole('user', {
      'x-hasura-tenant-id': tenantA,
      'x-hasura-user-id': 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
    });
    const { body } = await t.graphql(
      'mutation { insert_author(objects: [{name: "H", articles: {data: [{title: "H1", rating: 0}]}}]) { affected_rows } }',
      {
        headers,
      },
    );
    expect(body.errors?.[0]?.message).toBe(
      'check constraint of an insert/update permission has failed',
    );
    const stored = await t.sql("SELECT count(*)::int AS n FROM author WHERE name = 'H'");
    expect(stored.rows[0]?.n).toBe(0);
  });
});
