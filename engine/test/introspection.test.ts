import {
  buildClientSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  printSchema,
} from 'graphql';
import { asRole, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';
import { blogSql, blogTables } from './fixtures/blog.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine('engine-introspection', blogSql, metadataWith(blogTables));
});

afterAll(async () => {
  await t.stop();
});

async function clientSchema(headers?: Record<string, string>) {
  const { body } = await t.graphql(
    getIntrospectionQuery(),
    headers === undefined ? {} : { headers },
  );
  expect(body.errors).toBeUndefined();
  return buildClientSchema(body.data as unknown as IntrospectionQuery);
}

describe('introspection', () => {
  it('builds a client schema with Hasura type names', async () => {
    const schema = await clientSchema();
    for (const name of [
      'author',
      'author_bool_exp',
      'author_order_by',
      'author_select_column',
      'author_aggregate',
      'author_insert_input',
      'author_on_conflict',
      'author_constraint',
      'author_mutation_response',
      'author_pk_columns_input',
      'order_by',
      'String_comparison_exp',
      'Int_comparison_exp',
      'uuid_comparison_exp',
      'citext_comparison_exp',
      'jsonb_comparison_exp',
      'String_array_comparison_exp',
      'numeric',
      'bigint',
      'timestamptz',
      'date',
    ]) {
      expect(schema.getType(name)?.name).toBe(name);
    }
    expect(schema.getQueryType()?.name).toBe('query_root');
    expect(schema.getMutationType()?.name).toBe('mutation_root');
    expect(schema.getSubscriptionType()?.name).toBe('subscription_root');
  });

  it('types fields like Hasura', async () => {
    const schema = await clientSchema();
    const author = schema.getType('author');
    if (!isObjectType(author)) throw new Error('author is not an object type');
    expect(String(author.getFields().id?.type)).toBe('Int!');
    expect(String(author.getFields().email?.type)).toBe('citext');
    expect(String(author.getFields().articles?.type)).toBe('[article!]!');
    const article = schema.getType('article');
    if (!isObjectType(article)) throw new Error('article is not an object type');
    expect(String(article.getFields().author?.type)).toBe('author!');
    expect(String(article.getFields().tags?.type)).toBe('[String!]');
    const root = schema.getQueryType()?.getFields();
    expect(String(root?.author?.type)).toBe('[author!]!');
    expect(root?.author?.args.map((arg) => arg.name)).toEqual([
      'distinct_on',
      'limit',
      'offset',
      'order_by',
      'where',
    ]);
    expect(String(root?.author_by_pk?.type)).toBe('author');
    expect(isNonNullType(root?.author_by_pk?.args[0]?.type)).toBe(true);
    const direction = schema.getType('order_by');
    if (!isEnumType(direction)) throw new Error('order_by is not an enum');
    expect(direction.getValues().map((value) => value.name)).toEqual([
      'asc',
      'asc_nulls_first',
      'asc_nulls_last',
      'desc',
      'desc_nulls_first',
      'desc_nulls_last',
    ]);
    const comparison = schema.getType('String_comparison_exp');
    if (!isInputObjectType(comparison)) throw new Error('String_comparison_exp is not an input');
    expect(Object.keys(comparison.getFields())).toEqual(
      expect.arrayContaining([
        '_eq',
        '_neq',
        '_gt',
        '_lt',
        '_gte',
        '_lte',
        '_in',
        '_nin',
        '_is_null',
        '_like',
        '_nlike',
        '_ilike',
        '_nilike',
      ]),
    );
  });

  it('shows each role only what it may use', async () => {
    const schema = await clientSchema(
      asRole('user', { 'x-hasura-tenant-id': 'x', 'x-hasura-user-id': 'y' }),
    );
    const sdl = printSchema(schema);
    expect(sdl).not.toContain('secret');
    expect(sdl).not.toContain('tenant_members');
    const root = schema.getQueryType()?.getFields() ?? {};
    expect(Object.keys(root).sort()).toEqual([
      'article',
      'article_by_pk',
      'author',
      'author_aggregate',
      'author_by_pk',
    ]);
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {}).sort();
    expect(mutations).toEqual([
      'delete_article',
      'delete_article_by_pk',
      'insert_author',
      'insert_author_one',
      'update_author',
      'update_author_by_pk',
      'update_author_many',
    ]);
  });

  it('answers __type next to data fields', async () => {
    const { body } = await t.graphql(
      '{ __type(name: "author") { name kind } author_by_pk(id: 1) { name } }',
    );
    expect(body.data).toEqual({
      __type: { name: 'author', kind: 'OBJECT' },
      author_by_pk: { name: 'Ann' },
    });
  });
});
