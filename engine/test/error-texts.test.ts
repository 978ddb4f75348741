import {
  adminSecret,
  type GraphqlBody,
  metadataWith,
  startTestEngine,
  type TestEngine,
} from './engine-harness.js';

const setupSql = `
  CREATE TABLE roles (id int PRIMARY KEY, name text NOT NULL);
  INSERT INTO roles VALUES (1, 'owner');
`;

/** Fails when an error message shows JavaScript internals. */
function expectNoInternals(message: string | undefined): void {
  expect(message).toBeDefined();
  expect(message).not.toMatch(/RangeError|call stack|Unexpected token|Syntax Error|position/i);
}

/** Writes a request body whose `where` variable nests `_and` `depth` levels deep. */
function nestedAndBody(depth: number): string {
  const where = `${'{"_and":['.repeat(depth)}{"id":{"_eq":1}}${']}'.repeat(depth)}`;
  const query = 'query ($where: roles_bool_exp!) { roles(where: $where) { id } }';
  return `{"query":${JSON.stringify(query)},"variables":{"where":${where}}}`;
}

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine(
    'engine-error-texts',
    setupSql,
    metadataWith([{ table: { schema: 'public', name: 'roles' } }]),
    // Turned off so that only the nesting itself can stop these inputs.
    { ACCI_ENGINE_MAX_DEPTH: '0', ACCI_ENGINE_MAX_NODES: '0' },
  );
});

afterAll(async () => {
  await t.stop();
});

describe('error texts', () => {
  it('reports a syntax error as Hasura does', async () => {
    const { body } = await t.graphql('query { roles { id }');
    expect(body.errors).toEqual([
      {
        message: 'not a valid graphql query',
        extensions: { path: '$.query', code: 'validation-failed' },
      },
    ]);
  });

  it('rejects a query too deep to parse', async () => {
    const depth = 100_000;
    const { body } = await t.graphql(`{ ${'roles { '.repeat(depth)}id${' }'.repeat(depth)} }`);
    expect(body.errors?.[0]?.extensions.code).toBe('validation-failed');
    expect(body.errors?.[0]?.message).toBe('not a valid graphql query');
    expectNoInternals(body.errors?.[0]?.message);
  });

  it('rejects variables too deep to walk', async () => {
    const response = await fetch(`${t.engine.url}/v1/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': adminSecret },
      body: nestedAndBody(50_000),
    });
    const body = (await response.json()) as GraphqlBody;
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions.code).toBe('validation-failed');
    expect(body.errors?.[0]?.message).toBe(
      'the query or its variables are nested too deeply. Reduce the nesting and try again.',
    );
    expectNoInternals(body.errors?.[0]?.message);
  });

  it('keeps the JSON parser message out', async () => {
    const response = await fetch(`${t.engine.url}/v1/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': adminSecret },
      body: '{"query": ',
    });
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(response.status).toBe(400);
    expect(body.errors[0]?.message).toBe('Error in $: Failed reading: not a valid json value');
  });

  it('still serves after deep inputs', async () => {
    const { body } = await t.graphql('{ roles { id } }');
    expect(body.data).toEqual({ roles: [{ id: 1 }] });
  });
});
