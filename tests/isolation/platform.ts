import { join, resolve } from 'node:path';
import {
  type ActionServer,
  generateSigningKey,
  loadActionsConfig,
  startActionServer,
} from '@acci/actions';
import { engineConfigFromEnv, startEngine } from '@acci/engine';
import pg from 'pg';
import { applyMetadataToHasura } from '../../scripts/lib/hasura-remote.js';
import { seedDemoData } from '../../scripts/lib/seed.js';
import { createTestDatabase, type TestDatabase } from '../harness/db.js';

export const root = resolve(import.meta.dirname, '../..');
export const metadataDir = join(root, 'hasura/metadata');
export const demoPassword = 'Isolation-Passw0rd-1';

/** Password of the acci_graphql login role in test clusters; never used outside tests. */
const graphqlRolePassword = 'acci-graphql-test-only';

/** The demo tenants: A acts, B is attacked. */
export const tenants = {
  a: '00000000-0000-4000-8000-000000000002',
  b: '00000000-0000-4000-8000-000000000003',
};

/** A GraphQL server with the action server behind it, on a seeded database. */
export interface IsolationPlatform {
  graphqlUrl: string;
  baseUrl: string;
  /** Superuser connection string, for snapshots and fixtures. */
  databaseUrl: string;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  label: string;
  metadataDir?: string;
  /** Database role of the engine: acci_graphql (bound by row security) or the superuser. */
  engineRole?: 'acci_graphql' | 'superuser';
}

/**
 * Lets the engine connect as acci_graphql: a login password and the catalog privileges that
 * Hasura's own schema needs. Row security binds this role, unlike the superuser.
 */
async function prepareGraphqlRole(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`ALTER ROLE acci_graphql LOGIN PASSWORD '${graphqlRolePassword}'`);
    // The engine, like Hasura, runs CREATE SCHEMA IF NOT EXISTS hdb_catalog at start, which
    // needs CREATE on the database even when the schema exists.
    const database = client.escapeIdentifier(new URL(databaseUrl).pathname.slice(1));
    await client.query(`GRANT CREATE ON DATABASE ${database} TO acci_graphql`);
    await client.query('CREATE SCHEMA IF NOT EXISTS hdb_catalog');
    await client.query('GRANT USAGE, CREATE ON SCHEMA hdb_catalog TO acci_graphql');
    await client.query('GRANT SELECT ON ALL TABLES IN SCHEMA hdb_catalog TO acci_graphql');
  } finally {
    await client.end();
  }
  const url = new URL(databaseUrl);
  url.username = 'acci_graphql';
  url.password = graphqlRolePassword;
  return url.toString();
}

/**
 * Starts the platform for isolation tests. With HASURA_URL set, the metadata is applied to
 * that Hasura and no engine starts. DATABASE_URL must then be Hasura's database. Hasura must
 * call the action server at ACTION_BASE_URL with ACTION_SECRET and trust the JWKS it serves
 * on ACTIONS_PORT, signed with ACCI_JWT_PRIVATE_KEY.
 */
export async function startIsolationPlatform(options: PlatformOptions): Promise<IsolationPlatform> {
  const hasuraUrl = process.env.HASURA_URL;
  let database: TestDatabase | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (hasuraUrl === undefined || databaseUrl === undefined) {
    database = await createTestDatabase(options.label);
    databaseUrl = database.url;
  }
  await seedDemoData(databaseUrl, join(root, 'hasura/seeds/default'), demoPassword);

  const actionSecret = process.env.ACTION_SECRET ?? 'isolation-action-secret-0123456789abcdef';
  const actions: ActionServer = await startActionServer(
    loadActionsConfig({
      DATABASE_URL: databaseUrl,
      ACTIONS_PORT: hasuraUrl === undefined ? '0' : (process.env.ACTIONS_PORT ?? '3000'),
      ACTION_SECRET: actionSecret,
      ACCI_JWT_PRIVATE_KEY: process.env.ACCI_JWT_PRIVATE_KEY ?? (await generateSigningKey()),
      LOG_LEVEL: 'silent',
    }),
  );
  const dir = options.metadataDir ?? metadataDir;
  if (hasuraUrl !== undefined) {
    await applyMetadataToHasura(hasuraUrl, process.env.HASURA_ADMIN_SECRET ?? '', dir);
    return {
      graphqlUrl: `${hasuraUrl}/v1/graphql`,
      baseUrl: hasuraUrl,
      databaseUrl,
      stop: async () => {
        await actions.close();
        await database?.drop();
      },
    };
  }
  const engineUrl =
    options.engineRole === 'superuser' ? databaseUrl : await prepareGraphqlRole(databaseUrl);
  const engine = await startEngine(
    engineConfigFromEnv({
      ACTION_BASE_URL: actions.url,
      ACTION_SECRET: actionSecret,
      HASURA_GRAPHQL_DATABASE_URL: engineUrl,
      HASURA_GRAPHQL_ADMIN_SECRET: 'isolation-admin-secret',
      HASURA_GRAPHQL_JWT_SECRET: JSON.stringify({
        type: 'RS256',
        jwk_url: `${actions.url}/.well-known/jwks.json`,
        issuer: 'acci',
      }),
      HASURA_GRAPHQL_UNAUTHORIZED_ROLE: 'anonymous',
      HASURA_GRAPHQL_SERVER_HOST: '127.0.0.1',
      HASURA_GRAPHQL_SERVER_PORT: '0',
      HASURA_GRAPHQL_METADATA_DIR: dir,
      HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES: 'true',
    }),
  );
  return {
    graphqlUrl: `${engine.url}/v1/graphql`,
    baseUrl: engine.url,
    databaseUrl,
    stop: async () => {
      await engine.close();
      await actions.close();
      await database?.drop();
    },
  };
}

export interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** Posts a GraphQL request with an optional bearer token and role. */
export async function graphql(
  platform: IsolationPlatform,
  query: string,
  options: { token?: string; role?: string; variables?: Record<string, unknown> } = {},
): Promise<GraphqlResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.role !== undefined) headers['x-hasura-role'] = options.role;
  const response = await fetch(platform.graphqlUrl, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  return (await response.json()) as GraphqlResult;
}

/** Signs in through the login action and returns the access token. */
export async function signIn(
  platform: IsolationPlatform,
  tenant: string,
  email: string,
): Promise<string> {
  const result = await graphql(
    platform,
    `mutation ($t: String!, $e: String!, $p: String!) {
       login(tenantId: $t, email: $e, password: $p) { accessToken } }`,
    { variables: { t: tenant, e: email, p: demoPassword } },
  );
  const token = (result.data?.login as { accessToken?: string } | undefined)?.accessToken;
  if (token === undefined) throw new Error(`Sign-in of ${email} failed: ${JSON.stringify(result)}`);
  return token;
}

/**
 * Returns every row of tenant `tenantId` in every table with a tenant_id column, and the
 * tenant row itself, as sorted JSON text per table, to compare before and after an attack.
 */
export async function snapshotTenant(
  databaseUrl: string,
  tenantId: string,
): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT c.table_name FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id'
          AND t.table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const snapshot: Record<string, string[]> = {};
    const tenant = await client.query<{ row: string }>(
      'SELECT to_jsonb(t)::text AS row FROM public.tenants t WHERE id = $1',
      [tenantId],
    );
    snapshot.tenants = tenant.rows.map((row) => row.row);
    for (const { table_name: table } of tables.rows) {
      const result = await client.query<{ row: string }>(
        `SELECT to_jsonb(t)::text AS row FROM public.${client.escapeIdentifier(table)} t
          WHERE tenant_id = $1 ORDER BY 1`,
        [tenantId],
      );
      snapshot[table] = result.rows.map((row) => row.row);
    }
    return snapshot;
  } finally {
    await client.end();
  }
}
