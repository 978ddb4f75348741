import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../tests/harness/db.js';
import { engineConfigFromEnv, type RunningEngine, startEngine } from '../src/index.js';

export const adminSecret = 'test-admin-secret';

/** An engine on a fresh database of its own, with helpers to call it. */
export interface TestEngine {
  db: TestDatabase;
  engine: RunningEngine;
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** POSTs a GraphQL request and returns the status and parsed body. */
  graphql(
    query: string,
    options?: {
      variables?: Record<string, unknown>;
      headers?: Record<string, string>;
      operationName?: string;
    },
  ): Promise<{ status: number; body: GraphqlBody }>;
  /** POSTs to `/v1/metadata` (or another admin endpoint) with the admin secret. */
  admin(body: unknown, path?: string): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export interface GraphqlBody {
  data?: Record<string, unknown>;
  errors?: {
    message: string;
    extensions: { code: string; path?: string } & Record<string, unknown>;
  }[];
}

/** Headers of an admin request acting as `role` with the given session variables. */
export function asRole(
  role: string,
  variables: Record<string, string> = {},
): Record<string, string> {
  return { 'x-hasura-admin-secret': adminSecret, 'x-hasura-role': role, ...variables };
}

export async function startTestEngine(
  label: string,
  setupSql: string,
  metadata: unknown,
  env: Record<string, string> = {},
): Promise<TestEngine> {
  const db = await createTestDatabase(label, { migrated: false });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(setupSql);
  const engine = await startEngine(
    engineConfigFromEnv({
      HASURA_GRAPHQL_DATABASE_URL: db.url,
      HASURA_GRAPHQL_ADMIN_SECRET: adminSecret,
      HASURA_GRAPHQL_SERVER_PORT: '0',
      HASURA_GRAPHQL_SERVER_HOST: '127.0.0.1',
      ...env,
    }),
  );
  const post = async (path: string, body: unknown, headers: Record<string, string>) => {
    const response = await fetch(`${engine.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const admin = (body: unknown, path = '/v1/metadata') =>
    post(path, body, { 'x-hasura-admin-secret': adminSecret });
  if (metadata !== undefined) {
    const applied = await admin({ type: 'replace_metadata', args: metadata });
    if (applied.status !== 200)
      throw new Error(`replace_metadata failed: ${JSON.stringify(applied.body)}`);
  }
  return {
    db,
    engine,
    sql: (text, values) => client.query(text, values),
    graphql: async (query, options = {}) => {
      const headers = options.headers ?? { 'x-hasura-admin-secret': adminSecret };
      const body = { query, variables: options.variables, operationName: options.operationName };
      const result = await post('/v1/graphql', body, headers);
      return { status: result.status, body: result.body as GraphqlBody };
    },
    admin,
    stop: async () => {
      await engine.close();
      await client.end();
      await db.drop();
    },
  };
}

/** Metadata with one `default` source holding `tables`. */
export function metadataWith(tables: unknown[], extra: Record<string, unknown> = {}): unknown {
  return {
    version: 3,
    sources: [
      {
        name: 'default',
        kind: 'postgres',
        tables,
        configuration: {
          connection_info: { database_url: { from_env: 'HASURA_GRAPHQL_DATABASE_URL' } },
        },
      },
    ],
    ...extra,
  };
}
