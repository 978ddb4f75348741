import { asRole, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';
import { blogSql, blogTables } from './fixtures/blog.js';

const tenantA = '11111111-1111-1111-1111-111111111111';
const member = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine('engine-permissions', blogSql, metadataWith(blogTables));
});

afterAll(async () => {
  await t.stop();
});

function asUser(variables: Record<string, string> = {}) {
  return asRole('user', {
    'x-hasura-user-id': member,
    'x-hasura-tenant-id': tenantA,
    ...variables,
  });
}

describe('select permissions', () => {
  it('filters rows by session variables and _exists', async () => {
    const { body } = await t.graphql('{ author(order_by: {id: asc}) { id name } }', {
      headers: asUser(),
    });
    expect(body.data).toEqual({
      author: [
        { id: 1, name: 'Ann' },
        { id: 2, name: 'Bob' },
      ],
    });
  });

  it('returns nothing when the _exists view has no matching row', async () => {
    const headers = asUser({ 'x-hasura-user-id': '00000000-0000-0000-0000-000000000000' });
    const { body } = await t.graphql('{ author { id } }', { headers });
    expect(body.data).toEqual({ author: [] });
  });

  it('reads session variable names case-insensitively', async () => {
    const headers = asRole('user', { 'X-Hasura-User-Id': member, 'X-HASURA-TENANT-ID': tenantA });
    const { body } = await t.graphql('{ author_aggregate { aggregate { count } } }', { headers });
    expect(body.data).toEqual({ author_aggregate: { aggregate: { count: 2 } } });
  });

  it('hides columns outside the permission', async () => {
    const { body } = await t.graphql('{ author { secret } }', { headers: asUser() });
    expect(body.errors?.[0]?.message).toBe("field 'secret' not found in type: 'author'");
    expect(body.errors?.[0]?.extensions.code).toBe('validation-failed');
  });

  it('hides tables without select permission', async () => {
    const { body } = await t.graphql('{ tenant_members { user_id } }', { headers: asUser() });
    expect(body.errors?.[0]?.message).toBe(
      "field 'tenant_members' not found in type: 'query_root'",
    );
  });

  it('caps rows at the permission limit', async () => {
    const { body } = await t.graphql('{ article(order_by: {id: asc}, limit: 10) { id } }', {
      headers: asUser(),
    });
    expect(body.data).toEqual({ article: [{ id: 1 }, { id: 2 }] });
  });

  it('applies the remote permission in relationship filters', async () => {
    const { body } = await t.graphql('{ article(where: {author: {name: {_eq: "Cid"}}}) { id } }', {
      headers: asUser(),
    });
    expect(body.data).toEqual({ article: [] });
  });

  it('offers aggregates only where allowed', async () => {
    const { body } = await t.graphql('{ article_aggregate { aggregate { count } } }', {
      headers: asUser(),
    });
    expect(body.errors?.[0]?.message).toBe(
      "field 'article_aggregate' not found in type: 'query_root'",
    );
  });

  it('reports a missing session variable', async () => {
    const headers = asRole('user', { 'x-hasura-user-id': member });
    const { body } = await t.graphql('{ author { id } }', { headers });
    expect(body.errors).toEqual([
      {
        message: 'missing session variable: "x-hasura-tenant-id"',
        extensions: { path: '$', code: 'not-found' },
      },
    ]);
  });

  it('gives a role without permissions no queries', async () => {
    const { body } = await t.graphql('{ author { id } }', { headers: asRole('stranger') });
    expect(body.errors?.[0]?.message).toBe("field 'author' not found in type: 'query_root'");
  });

  it('reuses a cached plan with other session values', async () => {
    const query = '{ author { name } }';
    const first = await t.graphql(query, { headers: asUser() });
    const second = await t.graphql(query, {
      headers: asUser({ 'x-hasura-tenant-id': '22222222-2222-2222-2222-222222222222' }),
    });
    expect(first.body.data).toEqual({ author: [{ name: 'Ann' }, { name: 'Bob' }] });
    expect(second.body.data).toEqual({ author: [] });
  });
});
