import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Returns the superuser URL of the PostgreSQL server named by `CONFORMANCE_DATABASE_URL`, or
 * undefined when the run should start a server of its own.
 */
export function serverUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.CONFORMANCE_DATABASE_URL;
  return url === undefined || url === '' ? undefined : url;
}

/** A reachable server, with what the run learned about it. */
export interface DatabaseServer {
  /** Superuser connection string, used to create and drop the class databases. */
  adminUrl: string;
  postgis: boolean;
  /** False when `SET lc_monetary TO 'en_US.utf-8'`, run by some setup files, fails. */
  monetaryLocale: boolean;
  role: { name: string; password: string };
}

/** A fresh database for one class, dropped when the class is done. */
export interface ClassDatabase {
  name: string;
  /** Connection string of the non-superuser role the engine connects as. */
  engineUrl: string;
  drop(): Promise<void>;
}

/**
 * The role the engine connects as, which is no superuser. It owns each class database, so it
 * owns `public`, may create schemas such as `hdb_catalog` and runs the DDL of `run_sql`. It also
 * owns the schema `hge_tests`. The superuser creates the extensions beforehand.
 */
export const ENGINE_ROLE = 'acci_conformance';

const EXTENSIONS = ['citext', 'ltree', 'pgcrypto'];

/** Connects to the server, checks PostGIS and creates or refreshes the engine role. */
export async function prepareServer(adminUrl: string): Promise<DatabaseServer> {
  const password = randomBytes(18).toString('hex');
  return withClient(adminUrl, async (client) => {
    const available = await client.query(
      "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'",
    );
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [ENGINE_ROLE]);
    const verb = exists.rowCount === 0 ? 'CREATE' : 'ALTER';
    await client.query(
      `${verb} ROLE ${ENGINE_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`,
    );
    const monetaryLocale = await client
      .query("SELECT set_config('lc_monetary', 'en_US.utf-8', true)")
      .then(
        () => true,
        () => false,
      );
    return {
      adminUrl,
      postgis: available.rowCount !== 0,
      monetaryLocale,
      role: { name: ENGINE_ROLE, password },
    };
  });
}

/** Creates a database owned by the engine role with the extensions and schema upstream sets up. */
export async function createClassDatabase(
  server: DatabaseServer,
  label: string,
): Promise<ClassDatabase> {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(-30);
  const name = `conformance_${slug}_${randomBytes(3).toString('hex')}`;
  await withClient(server.adminUrl, (client) =>
    client.query(`CREATE DATABASE "${name}" OWNER ${server.role.name}`),
  );
  const superUrl = databaseUrl(server.adminUrl, name);
  const extensions = server.postgis ? [...EXTENSIONS, 'postgis'] : EXTENSIONS;
  await withClient(superUrl, async (client) => {
    for (const extension of extensions) {
      await client.query(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
    }
    await client.query(`CREATE SCHEMA hge_tests AUTHORIZATION ${server.role.name}`);
  });
  const engineUrl = new URL(superUrl);
  engineUrl.username = server.role.name;
  engineUrl.password = server.role.password;
  return {
    name,
    engineUrl: engineUrl.toString(),
    drop: () =>
      withClient(server.adminUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
