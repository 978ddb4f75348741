import { metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';
import { blogSql, blogTables } from './fixtures/blog.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine('engine-select', blogSql, metadataWith(blogTables));
});

afterAll(async () => {
  await t.stop();
});

async function data(query: string, variables?: Record<string, unknown>) {
  const { status, body } = await t.graphql(query, { variables });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data;
}

async function firstError(query: string, variables?: Record<string, unknown>) {
  const { body } = await t.graphql(query, { variables });
  expect(body.data).toBeUndefined();
  const [error] = body.errors ?? [];
  if (error === undefined) throw new Error(`expected an error, got ${JSON.stringify(body)}`);
  return error;
}

describe('select', () => {
  it('returns rows in selection order with aliases', async () => {
    const result = await data('{ author(order_by: {id: asc}) { name who: id } }');
    expect(JSON.stringify(result)).toBe(
      '{"author":[{"name":"Ann","who":1},{"name":"Bob","who":2},{"name":"Cid","who":3}]}',
    );
  });

  it('filters with comparison and boolean operators', async () => {
    const titles = async (where: string) => {
      const result = await data(`{ article(where: ${where}, order_by: {id: asc}) { title } }`);
      const rows = (result?.article ?? []) as { title: string }[];
      return rows.map((row) => row.title);
    };
    expect(await titles('{id: {_eq: 2}}')).toEqual(['Beta']);
    expect(await titles('{id: {_neq: 2}}')).toEqual(['Alpha', 'Gamma', 'Delta']);
    expect(await titles('{id: {_gt: 2}}')).toEqual(['Gamma', 'Delta']);
    expect(await titles('{id: {_lte: 2}}')).toEqual(['Alpha', 'Beta']);
    expect(await titles('{id: {_in: [1, 3]}}')).toEqual(['Alpha', 'Gamma']);
    expect(await titles('{id: {_nin: [1, 3]}}')).toEqual(['Beta', 'Delta']);
    expect(await titles('{rating: {_is_null: true}}')).toEqual(['Gamma']);
    expect(await titles('{title: {_like: "%ta"}}')).toEqual(['Beta', 'Delta']);
    expect(await titles('{title: {_ilike: "a%"}}')).toEqual(['Alpha']);
    expect(await titles('{title: {_nlike: "%a"}}')).toEqual([]);
    expect(await titles('{_or: [{id: {_eq: 1}}, {title: {_eq: "Delta"}}]}')).toEqual([
      'Alpha',
      'Delta',
    ]);
    expect(await titles('{_not: {id: {_gte: 2}}}')).toEqual(['Alpha']);
    expect(await titles('{_and: [{id: {_gt: 1}}, {id: {_lt: 4}}]}')).toEqual(['Beta', 'Gamma']);
    expect(await titles('{author: {name: {_eq: "Bob"}}}')).toEqual(['Gamma']);
    expect(await titles('{meta: {_contains: {lang: "en"}}}')).toEqual(['Alpha']);
    expect(await titles('{meta: {_has_key: "n"}}')).toEqual(['Alpha']);
  });

  it('binds variables as parameters', async () => {
    const query =
      'query($ids: [Int!], $t: String) { article(where: {id: {_in: $ids}, title: {_neq: $t}}) { id } }';
    expect(await data(query, { ids: [1, 2, 3], t: 'Beta' })).toEqual({
      article: [{ id: 1 }, { id: 3 }],
    });
    expect(await data(query, { ids: [4], t: 'x' })).toEqual({ article: [{ id: 4 }] });
  });

  it('orders, limits and offsets', async () => {
    const result = await data(
      '{ article(order_by: [{rating: desc_nulls_last}, {id: asc}], limit: 2, offset: 1) { id } }',
    );
    expect(result).toEqual({ article: [{ id: 1 }, { id: 2 }] });
    const nullsFirst = await data(
      '{ article(order_by: {rating: asc_nulls_first}, limit: 1) { id } }',
    );
    expect(nullsFirst).toEqual({ article: [{ id: 3 }] });
  });

  it('orders through an object relationship and an aggregate', async () => {
    const byAuthor = await data(
      '{ article(order_by: [{author: {name: desc}}, {id: asc}]) { id } }',
    );
    expect(byAuthor).toEqual({ article: [{ id: 4 }, { id: 3 }, { id: 1 }, { id: 2 }] });
    const byCount = await data(
      '{ author(order_by: [{articles_aggregate: {count: desc}}, {id: asc}]) { id } }',
    );
    expect(byCount).toEqual({ author: [{ id: 1 }, { id: 2 }, { id: 3 }] });
  });

  it('applies distinct_on with a matching order_by', async () => {
    const result = await data(
      '{ article(distinct_on: author_id, order_by: [{author_id: asc}, {id: desc}]) { id author_id } }',
    );
    expect(result).toEqual({
      article: [
        { id: 2, author_id: 1 },
        { id: 3, author_id: 2 },
        { id: 4, author_id: 3 },
      ],
    });
    const error = await firstError(
      '{ article(distinct_on: author_id, order_by: {id: asc}) { id } }',
    );
    expect(error.message).toBe('"distinct_on" columns must match initial "order_by" columns');
    expect(error.extensions.code).toBe('validation-failed');
  });

  it('nests object and array relationships', async () => {
    const result = await data(`{
      author_by_pk(id: 1) {
        name
        articles(order_by: {id: asc}, where: {id: {_gt: 1}}) { title author { name } }
        articles_aggregate { aggregate { count } }
      }
    }`);
    expect(result).toEqual({
      author_by_pk: {
        name: 'Ann',
        articles: [{ title: 'Beta', author: { name: 'Ann' } }],
        articles_aggregate: { aggregate: { count: 2 } },
      },
    });
  });

  it('returns null for a missing primary key', async () => {
    expect(await data('{ author_by_pk(id: 99) { id } }')).toEqual({ author_by_pk: null });
  });

  it('computes aggregates', async () => {
    const result = await data(`{
      article_aggregate(where: {author_id: {_eq: 1}}) {
        aggregate { count sum { rating } avg { rating } max { title published_on } min { id } }
        nodes { id }
      }
    }`);
    expect(result).toEqual({
      article_aggregate: {
        aggregate: {
          count: 2,
          sum: { rating: 7.5 },
          avg: { rating: 3.75 },
          max: { title: 'Beta', published_on: '2024-02-01' },
          min: { id: 1 },
        },
        nodes: [{ id: 1 }, { id: 2 }],
      },
    });
  });

  it('keeps aliased nodes selections apart', async () => {
    const result = await data(
      '{ article_aggregate(where: {id: {_lt: 3}}, order_by: {id: asc}) { ids: nodes { id } titles: nodes { title } } }',
    );
    expect(result).toEqual({
      article_aggregate: {
        ids: [{ id: 1 }, { id: 2 }],
        titles: [{ title: 'Alpha' }, { title: 'Beta' }],
      },
    });
  });

  it('returns Postgres types as JSON', async () => {
    const result = await data(
      '{ article_by_pk(id: 1) { meta tags published_on created_at rating lang: meta(path: "$.lang") } author_by_pk(id: 2) { email tenant_id } }',
    );
    expect(result).toEqual({
      article_by_pk: {
        meta: { lang: 'en', n: 1 },
        tags: ['a', 'b'],
        published_on: '2024-02-01',
        created_at: '2024-01-01T00:00:00+00:00',
        rating: 4.5,
        lang: 'en',
      },
      author_by_pk: { email: 'BOB@example.com', tenant_id: '11111111-1111-1111-1111-111111111111' },
    });
  });

  it('compares citext case-insensitively', async () => {
    const result = await data('{ author(where: {email: {_eq: "bob@EXAMPLE.com"}}) { id } }');
    expect(result).toEqual({ author: [{ id: 2 }] });
  });

  it('expands fragments and honours skip and include', async () => {
    const query = `query($skip: Boolean!) {
      author(where: {id: {_eq: 1}}) { ...names ... on author { id @skip(if: $skip) } }
      __typename
    }
    fragment names on author { name __typename }`;
    expect(await data(query, { skip: true })).toEqual({
      author: [{ name: 'Ann', __typename: 'author' }],
      __typename: 'query_root',
    });
    expect(await data(query, { skip: false })).toEqual({
      author: [{ name: 'Ann', __typename: 'author', id: 1 }],
      __typename: 'query_root',
    });
  });

  it('rejects unknown fields with Hasura messages', async () => {
    const root = await firstError('{ nope { id } }');
    expect(root.message).toBe("field 'nope' not found in type: 'query_root'");
    expect(root.extensions).toEqual({ path: '$.selectionSet.nope', code: 'validation-failed' });
    const nested = await firstError('{ author { nope } }');
    expect(nested.message).toBe("field 'nope' not found in type: 'author'");
    expect(nested.extensions.path).toBe('$.selectionSet.author.selectionSet.nope');
    const operator = await firstError('{ author(where: {name: {_ne: "x"}}) { id } }');
    expect(operator.message).toBe("field '_ne' not found in type: 'String_comparison_exp'");
    const argument = await firstError('{ author_by_pk(id: 1, limit: 1) { id } }');
    expect(argument.message).toBe("'author_by_pk' has no argument named 'limit'");
  });

  it('rejects null comparison values', async () => {
    const literal = await firstError('{ author(where: {id: {_eq: null}}) { id } }');
    expect(literal.message).toBe("unexpected null value for type 'Int'");
    expect(literal.extensions.path).toBe('$.selectionSet.author.args.where.id._eq');
    const variable = await firstError(
      'query($id: Int) { author(where: {id: {_eq: $id}}) { id } }',
      {
        id: null,
      },
    );
    expect(variable.message).toBe("unexpected null value for type 'Int'");
  });

  it('rejects a negative limit', async () => {
    const error = await firstError('{ author(limit: -1) { id } }');
    expect(error.message).toBe(
      "expected a non-negative 32-bit integer for type 'Int', but found an integer",
    );
  });

  it('reports invalid JSON with HTTP 400', async () => {
    const response = await fetch(`${t.engine.url}/v1/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': 'test-admin-secret' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('invalid-json');
  });

  it('answers batched requests in order', async () => {
    const response = await fetch(`${t.engine.url}/v1/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': 'test-admin-secret' },
      body: JSON.stringify([{ query: '{ nope }' }, { query: '{ author_by_pk(id: 1) { id } }' }]),
    });
    const body = (await response.json()) as unknown[];
    expect(body).toEqual([
      {
        errors: [
          {
            message: "field 'nope' not found in type: 'query_root'",
            extensions: { path: '$.selectionSet.nope', code: 'validation-failed' },
          },
        ],
      },
      { data: { author_by_pk: { id: 1 } } },
    ]);
  });
});

describe('numeric stringification', () => {
  let s: TestEngine;

  beforeAll(async () => {
    s = await startTestEngine('engine-stringify', blogSql, metadataWith(blogTables), {
      HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES: 'true',
    });
  });

  afterAll(async () => {
    await s.stop();
  });

  it('returns bigint and numeric as strings', async () => {
    const { body } = await s.graphql(
      '{ article_by_pk(id: 2) { id views rating } article_aggregate { aggregate { sum { views } avg { rating } } } }',
    );
    expect(body.data).toEqual({
      article_by_pk: { id: 2, views: '9007199254740993', rating: '3' },
      article_aggregate: {
        aggregate: { sum: { views: '9007199254741009' }, avg: { rating: '4.1666666666666667' } },
      },
    });
  });
});
