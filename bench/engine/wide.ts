import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import pg from 'pg';
import { stringify } from 'yaml';
import { engineEnv, rssMiB, startChild, waitFor } from './children.js';

// Start-up of the engine over a generated schema: `tables` tracked tables with select
// permissions for four roles, in a database of their own.

const roles = ['anonymous', 'user', 'tenant_admin', 'platform_admin'];

/** Start-up figures of one engine child. */
export interface StartupResult {
  tables: number;
  healthzMs: number;
  readyMs: number;
  rssAfterStartMiB: number;
  rssAfterIntrospectionMiB: number;
}

function tableName(index: number): string {
  return `wide_${String(index).padStart(3, '0')}`;
}

async function createTables(databaseUrl: string, tables: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const statements: string[] = [];
    for (let index = 1; index <= tables; index += 1) {
      statements.push(`CREATE TABLE public.${tableName(index)} (
        id bigserial PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL,
        amount numeric, active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now())`);
    }
    await client.query(statements.join(';\n'));
  } finally {
    await client.end();
  }
}

function tableMetadata(index: number) {
  const columns = ['id', 'tenant_id', 'name', 'amount', 'active', 'created_at'];
  return {
    table: { schema: 'public', name: tableName(index) },
    select_permissions: roles.map((role) => ({
      role,
      permission: {
        columns,
        filter: role === 'platform_admin' ? {} : { tenant_id: { _eq: 'X-Hasura-Tenant-Id' } },
        allow_aggregations: role !== 'anonymous',
      },
    })),
  };
}

async function writeMetadata(dir: string, tables: number): Promise<void> {
  await mkdir(join(dir, 'databases'), { recursive: true });
  await writeFile(join(dir, 'version.yaml'), 'version: 3\n');
  const source = {
    name: 'default',
    kind: 'postgres',
    configuration: {
      connection_info: { database_url: { from_env: 'HASURA_GRAPHQL_DATABASE_URL' } },
    },
    tables: Array.from({ length: tables }, (_, index) => tableMetadata(index + 1)),
  };
  await writeFile(join(dir, 'databases/databases.yaml'), stringify([source]));
}

async function introspect(baseUrl: string, role: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/v1/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hasura-admin-secret': 'bench-admin-secret',
      'x-hasura-role': role,
      'x-hasura-tenant-id': '00000000-0000-0000-0000-000000000001',
    },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const body = (await response.json()) as { data?: { __schema?: unknown } };
  return response.status === 200 && body.data?.__schema !== undefined;
}

/**
 * Creates the tables and their metadata, starts the engine as a child process and measures the
 * time from spawn to the first 200 of `/healthz`, then to one successful introspection per role.
 */
export async function measureStartup(
  databaseUrl: string,
  workDir: string,
  port: number,
  tables: number,
  jwtKey: string,
): Promise<StartupResult> {
  await createTables(databaseUrl, tables);
  const metadataDir = join(workDir, 'wide-metadata');
  await writeMetadata(metadataDir, tables);

  const started = performance.now();
  const engine = startChild(
    'engine/src/main.ts',
    engineEnv(databaseUrl, port, metadataDir, jwtKey),
  );
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    const healthy = async () => (await fetch(`${baseUrl}/healthz`)).status === 200;
    await waitFor(healthy, 60_000, 'engine', engine.child);
    const healthzMs = performance.now() - started;
    const pid = engine.child.pid ?? 0;
    const rssAfterStartMiB = await rssMiB(pid);
    for (const role of roles) {
      if (!(await introspect(baseUrl, role))) throw new Error(`Introspection as "${role}" failed.`);
    }
    const readyMs = performance.now() - started;
    const rssAfterIntrospectionMiB = await rssMiB(pid);
    return { tables, healthzMs, readyMs, rssAfterStartMiB, rssAfterIntrospectionMiB };
  } finally {
    await engine.stop();
  }
}
