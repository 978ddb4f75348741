import { request } from 'node:http';
import {
  adminSecret,
  asRole,
  metadataWith,
  startTestEngine,
  type TestEngine,
} from './engine-harness.js';

const setupSql = `
  CREATE TABLE roles (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE user_roles (id int PRIMARY KEY, role_id int NOT NULL REFERENCES roles (id));
  INSERT INTO roles VALUES (1, 'owner');
  INSERT INTO user_roles VALUES (1, 1);
  CREATE VIEW slow_report AS SELECT 1 AS id, pg_sleep(5)::text AS waited;
`;

const limitedRoles = ['user', 'shallow', 'few', 'patient'];

function selectAll(): unknown[] {
  return limitedRoles.map((role) => ({ role, permission: { columns: '*', filter: {} } }));
}

const tables = [
  {
    table: { schema: 'public', name: 'roles' },
    array_relationships: [
      {
        name: 'user_roles',
        using: { foreign_key_constraint_on: { table: 'user_roles', column: 'role_id' } },
      },
    ],
    select_permissions: selectAll(),
  },
  {
    table: { schema: 'public', name: 'user_roles' },
    object_relationships: [{ name: 'role', using: { foreign_key_constraint_on: 'role_id' } }],
    select_permissions: selectAll(),
  },
  { table: { schema: 'public', name: 'slow_report' }, select_permissions: selectAll() },
];

const apiLimits = {
  depth_limit: { global: 10, per_role: { shallow: 2 } },
  node_limit: { global: 1000, per_role: { few: 3 } },
  batch_limit: { global: 10, per_role: { user: 2 } },
  time_limit: { global: 1, per_role: { patient: 30 } },
};

/** `roles { user_roles { role { user_roles { ... } } } }`, nesting `depth` fields. */
function deepQuery(depth: number): string {
  const names = ['roles', 'user_roles', 'role'];
  let text = 'id';
  for (let level = depth - 1; level >= 0; level -= 1) {
    const name = level === 0 ? 'roles' : (names[1 + ((level - 1) % 2)] ?? 'role');
    text = `${name} { id ${text} }`;
  }
  return `{ ${text} }`;
}

function expectLimitError(body: { errors?: { message: string; extensions: { code: string } }[] }) {
  expect(body.errors?.[0]?.extensions.code).toBe('validation-failed');
  return body.errors?.[0]?.message;
}

/** Counts the engine's statements on `slow_report` that are still running. */
async function runningSlowQueries(t: TestEngine): Promise<number> {
  const { rows } = await t.sql(
    `SELECT count(*)::int AS count FROM pg_stat_activity
      WHERE datname = current_database() AND state = 'active'
        AND query LIKE '%slow_report%' AND pid <> pg_backend_pid()`,
  );
  return (rows[0] as { count: number }).count;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine(
    'engine-limits',
    setupSql,
    metadataWith(tables, { api_limits: apiLimits }),
    { ACCI_ENGINE_STATEMENT_TIMEOUT_MS: '1500' },
  );
});

afterAll(async () => {
  await t.stop();
});

describe('engine default limits', () => {
  it('rejects a 30-deep query fast', async () => {
    const started = Date.now();
    const { body } = await t.graphql(deepQuery(30));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(body.data).toBeUndefined();
    expect(expectLimitError(body)).toBe(
      'The depth of the query exceeds the limit of 15. Nest fewer relationships.',
    );
  });

  it('runs a query at the default depth', async () => {
    const { body } = await t.graphql(deepQuery(15));
    expect(body.errors).toBeUndefined();
    expect(body.data?.roles).toHaveLength(1);
  });

  it('times out a slow admin statement', async () => {
    const started = Date.now();
    const { body } = await t.graphql('{ slow_report { id waited } }');
    expect(Date.now() - started).toBeLessThan(4000);
    expect(body.errors?.[0]).toEqual({
      message: 'database query error',
      extensions: { path: '$', code: 'unexpected' },
    });
  });
});

describe('api_limits', () => {
  it('applies a per-role depth limit', async () => {
    const ok = await t.graphql(deepQuery(2), { headers: asRole('shallow') });
    expect(ok.body.errors).toBeUndefined();
    const { body } = await t.graphql(deepQuery(3), { headers: asRole('shallow') });
    expect(expectLimitError(body)).toBe(
      'The depth of the query exceeds the limit of 2. Nest fewer relationships.',
    );
  });

  it('applies the global depth limit', async () => {
    const { body } = await t.graphql(deepQuery(11), { headers: asRole('user') });
    expect(expectLimitError(body)).toBe(
      'The depth of the query exceeds the limit of 10. Nest fewer relationships.',
    );
  });

  it('leaves introspection out of the depth', async () => {
    const { body } = await t.graphql(
      '{ __schema { types { name fields { name type { name ofType { name } } } } } }',
      { headers: asRole('shallow') },
    );
    expect(body.errors).toBeUndefined();
  });

  it('counts nodes through fragments', async () => {
    const three = await t.graphql('{ roles { user_roles { role { id } } } }', {
      headers: asRole('few'),
    });
    expect(three.body.errors).toBeUndefined();
    const { body } = await t.graphql(
      '{ roles { ...more } } fragment more on roles { user_roles { role { id } } a: user_roles { id } }',
      { headers: asRole('few') },
    );
    expect(expectLimitError(body)).toBe(
      'The number of nodes in the query exceeds the limit of 3. ' +
        'Select fewer fields with selection sets, or split the query.',
    );
  });

  it('rejects a batch over the limit', async () => {
    const response = await fetch(`${t.engine.url}/v1/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asRole('user') },
      body: JSON.stringify([
        { query: '{ roles { id } }' },
        { query: '{ roles { id } }' },
        { query: '{ roles { id } }' },
      ]),
    });
    const body = (await response.json()) as Parameters<typeof expectLimitError>[0];
    expect(response.status).toBe(200);
    expect(expectLimitError(body)).toBe(
      'The number of operations in the batch (3) exceeds the limit of 2. ' +
        'Send the operations in smaller batches.',
    );
  });

  it('applies the time limit as statement timeout', async () => {
    const started = Date.now();
    const { body } = await t.graphql('{ slow_report { id waited } }', {
      headers: asRole('user'),
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(body.errors?.[0]?.message).toBe('database query error');
    expect(body.errors?.[0]?.extensions.code).toBe('unexpected');
  });

  it('exempts admin from api_limits', async () => {
    const { body } = await t.graphql(deepQuery(12));
    expect(body.errors).toBeUndefined();
  });
});

describe('client disconnect', () => {
  it('cancels the running statement', async () => {
    // The patient role's time limit is 30 s, so only the cancel can end the 5 s sleep early.
    const client = request(`${t.engine.url}/v1/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hasura-admin-secret': adminSecret,
        'x-hasura-role': 'patient',
      },
    });
    client.on('error', () => undefined);
    client.end(JSON.stringify({ query: '{ slow_report { id waited } }' }));
    expect(await waitFor(async () => (await runningSlowQueries(t)) === 1, 2000)).toBe(true);

    client.destroy();
    const started = Date.now();
    expect(await waitFor(async () => (await runningSlowQueries(t)) === 0, 3000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('disabled api_limits', () => {
  it('falls back to the engine defaults', async () => {
    const exported = await t.admin({ type: 'export_metadata', args: {} });
    const metadata = exported.body as Record<string, unknown>;
    const replaced = await t.admin({
      type: 'replace_metadata',
      args: { ...metadata, api_limits: { ...apiLimits, disabled: true } },
    });
    expect(replaced.status).toBe(200);
    const { body } = await t.graphql(deepQuery(3), { headers: asRole('shallow') });
    expect(body.errors).toBeUndefined();
  });
});
