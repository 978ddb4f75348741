import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serviceUrl } from './services.js';

/**
 * Names of the two templates of one test run: `blank` has only the extensions (engine tests
 * start from it), `migrated` has every migration of hasura/migrations/default applied. The run
 * id keeps concurrent runs on one server apart.
 */
export function templateNames(runId: string): { blank: string; migrated: string } {
  return { blank: `acci_tpl_${runId}_blank`, migrated: `acci_tpl_${runId}_migrated` };
}

export interface TestDatabase {
  name: string;
  /** Superuser connection string to this database. */
  url: string;
  drop(): Promise<void>;
}

/** Returns the connection string of another database on the same server. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates a database of its own for one test file, copied from a template the global setup
 * prepared, so test files run in parallel without sharing rows.
 */
export async function createTestDatabase(
  label: string,
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const server = serviceUrl('postgres');
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  const name = `t_${slug}_${randomBytes(4).toString('hex')}`;
  const templates = templateNames(serviceUrl('runId'));
  const template = options.migrated === false ? templates.blank : templates.migrated;
  await runOnServer(server, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return {
    name,
    url: databaseUrl(server, name),
    drop: () => runOnServer(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Runs one statement on the server's `postgres` database. */
export async function runOnServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
