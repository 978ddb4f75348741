import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';

/** One folder of `hasura/migrations/<database>`: `<version>_<name>/up.sql` and `down.sql`. */
export interface Migration {
  version: string;
  name: string;
  upSql: string;
  downSql: string;
}

const folderPattern = /^(\d+)_(.+)$/;

/** Reads the migrations of a Hasura CLI project folder, ordered by version. */
export async function readMigrations(folder: string): Promise<Migration[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const migrations: Migration[] = [];
  for (const entry of entries) {
    const match = folderPattern.exec(entry.name);
    if (!entry.isDirectory() || match === null) continue;
    const [, version = '', name = ''] = match;
    const upSql = await readFile(join(folder, entry.name, 'up.sql'), 'utf8');
    const downSql = await readFile(join(folder, entry.name, 'down.sql'), 'utf8').catch(() => '');
    migrations.push({ version, name, upSql, downSql });
  }
  return migrations.sort((a, b) => compareVersions(a.version, b.version));
}

function compareVersions(a: string, b: string): number {
  return a.length === b.length ? a.localeCompare(b) : a.length - b.length;
}

/**
 * Applies every migration not yet recorded, each in its own transaction, and records it.
 *
 * The record is kept where the Hasura CLI keeps it: `hdb_catalog.schema_migrations`
 * (version, dirty), the store of config v2 projects that the CLI copies from, and, when a
 * Hasura server has created its catalog, the `cli_state` of `hdb_catalog.hdb_version`, which
 * the CLI reads for config v3 projects. A database migrated by either tool can be continued
 * by the other. An advisory lock keeps two runners from applying the same migration.
 *
 * @returns the versions applied by this call, in order.
 */
export async function applyMigrations(
  databaseUrl: string,
  folder: string,
  databaseName = 'default',
): Promise<string[]> {
  const migrations = await readMigrations(folder);
  const client = new pg.Client({ connectionString: databaseUrl });
  // A lost connection also rejects the query in flight, which reports it; without a listener
  // the 'error' event would crash the process instead.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['acci.migrations']);
    await ensureMigrationTable(client);
    const applied = await readAppliedVersions(client, databaseName);
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await applyOne(client, migration, databaseName);
      done.push(migration.version);
    }
    return done;
  } finally {
    await client.end();
  }
}

async function ensureMigrationTable(client: pg.Client): Promise<void> {
  await client.query('CREATE SCHEMA IF NOT EXISTS hdb_catalog');
  await client.query(
    `CREATE TABLE IF NOT EXISTS hdb_catalog.schema_migrations (
       version bigint NOT NULL PRIMARY KEY,
       dirty boolean NOT NULL
     )`,
  );
}

async function readAppliedVersions(client: pg.Client, databaseName: string): Promise<Set<string>> {
  const result = await client.query<{ version: string; dirty: boolean }>(
    'SELECT version::text AS version, dirty FROM hdb_catalog.schema_migrations',
  );
  const dirty = result.rows.filter((row) => row.dirty).map((row) => row.version);
  if (dirty.length > 0) {
    throw new Error(
      `Migration ${dirty.join(', ')} is marked dirty in hdb_catalog.schema_migrations: it failed ` +
        'half-way. Repair the database by hand, then set dirty to false or delete the row.',
    );
  }
  const versions = new Set(result.rows.map((row) => row.version));
  for (const version of await readCliStateVersions(client, databaseName)) versions.add(version);
  return versions;
}

async function hasCatalogVersionTable(client: pg.Client): Promise<boolean> {
  const result = await client.query(
    `SELECT 1 FROM information_schema.columns
      WHERE table_schema = 'hdb_catalog' AND table_name = 'hdb_version' AND column_name = 'cli_state'`,
  );
  return result.rowCount === 1;
}

async function readCliStateVersions(client: pg.Client, databaseName: string): Promise<string[]> {
  if (!(await hasCatalogVersionTable(client))) return [];
  const result = await client.query<{ versions: string[] | null }>(
    `SELECT array_agg(key) AS versions
       FROM hdb_catalog.hdb_version, jsonb_each(cli_state -> 'migrations' -> $1::text)
      WHERE value = 'false'::jsonb`,
    [databaseName],
  );
  return result.rows[0]?.versions ?? [];
}

async function applyOne(client: pg.Client, migration: Migration, databaseName: string) {
  await client.query('BEGIN');
  try {
    await client.query(migration.upSql);
    await client.query(
      'INSERT INTO hdb_catalog.schema_migrations (version, dirty) VALUES ($1, false)',
      [migration.version],
    );
    if (await hasCatalogVersionTable(client)) {
      await client.query(
        `UPDATE hdb_catalog.hdb_version
            SET cli_state = jsonb_set(
              jsonb_set(cli_state, '{migrations}', coalesce(cli_state -> 'migrations', '{}')),
              ARRAY['migrations', $1::text],
              coalesce(cli_state -> 'migrations' -> $1::text, '{}') || jsonb_build_object($2::text, false))`,
        [databaseName, migration.version],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new Error(`Migration ${migration.version}_${migration.name} failed: ${String(error)}`, {
      cause: error,
    });
  }
}
