import { asRole, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';
import { blogSql, blogTables } from './fixtures/blog.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine('engine-update-many', blogSql, metadataWith(blogTables));
});

afterAll(async () => {
  await t.stop();
});

describe('update_many', () => {
  it('runs updates in order and returns one response each', async () => {
    const { body } = await t.graphql(`mutation {
      update_article_many(updates: [
        {where: {id: {_eq: 1}}, _set: {title: "One"}},
        {where: {title: {_eq: "One"}}, _inc: {views: 1}},
        {where: {id: {_eq: 99}}, _set: {title: "none"}}
      ]) { affected_rows returning { id title views } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      update_article_many: [
        { affected_rows: 1, returning: [{ id: 1, title: 'One', views: 10 }] },
        { affected_rows: 1, returning: [{ id: 1, title: 'One', views: 11 }] },
        { affected_rows: 0, returning: [] },
      ],
    });
  });

  it('applies the update permission to every update', async () => {
    const headers = asRole('user', {
      'x-hasura-tenant-id': '22222222-2222-2222-2222-222222222222',
    });
    const { body } = await t.graphql(
      'mutation { update_author_many(updates: [{where: {}, _set: {name: "Z"}}]) { affected_rows } }',
      { headers },
    );
    expect(body.data).toEqual({ update_author_many: [{ affected_rows: 1 }] });
    const names = await t.sql('SELECT name FROM author ORDER BY id');
    expect(names.rows.map((row) => row.name)).toEqual(['Ann', 'Bob', 'Z']);
  });

  it('rejects unknown fields in an update', async () => {
    const { body } = await t.graphql(
      'mutation { update_article_many(updates: [{where: {}, _nope: {}}]) { affected_rows } }',
    );
    expect(body.errors?.[0]?.message).toBe("field '_nope' not found in type: 'article_updates'");
  });
});
