import type pg from 'pg';
import { emptyMetadata, type Metadata } from './types.js';

/** Catalog version Hasura v2.48 writes to `hdb_catalog.hdb_version`. */
const catalogVersion = '48';

/** Serialises catalog set-up between engines that start at once on one database. */
const setupLockKey = 4_815_162_342;

/**
 * Creates Hasura's catalog tables when missing. A new `hdb_version` row copies the rows of
 * `hdb_catalog.schema_migrations` into `cli_state`, as the Hasura CLI does when it moves
 * migration state into the catalog.
 */
export async function ensureCatalog(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [setupLockKey]);
    await client.query('CREATE SCHEMA IF NOT EXISTS hdb_catalog');
    await client.query(
      'CREATE TABLE IF NOT EXISTS hdb_catalog.hdb_metadata (id integer PRIMARY KEY, metadata json NOT NULL, resource_version integer NOT NULL DEFAULT 1 UNIQUE)',
    );
    const existing = await client.query<{ found: boolean }>(
      "SELECT to_regclass('hdb_catalog.hdb_version') IS NOT NULL AS found",
    );
    if (existing.rows[0]?.found !== true) await createVersionTable(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function createVersionTable(client: pg.PoolClient): Promise<void> {
  await client.query(`CREATE TABLE hdb_catalog.hdb_version (
    hasura_uuid uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    version text NOT NULL,
    upgraded_on timestamptz NOT NULL,
    cli_state jsonb NOT NULL DEFAULT '{}'::jsonb,
    console_state jsonb NOT NULL DEFAULT '{}'::jsonb)`);
  await client.query(
    'CREATE UNIQUE INDEX hdb_version_one_row ON hdb_catalog.hdb_version((version IS NOT NULL))',
  );
  const migrations = await client.query<{ found: boolean }>(
    "SELECT to_regclass('hdb_catalog.schema_migrations') IS NOT NULL AS found",
  );
  let cliState: Record<string, unknown> = {};
  if (migrations.rows[0]?.found === true) {
    const rows = await client.query<{ version: string; dirty: boolean }>(
      'SELECT version::text AS version, dirty FROM hdb_catalog.schema_migrations ORDER BY version',
    );
    const applied: Record<string, boolean> = {};
    for (const row of rows.rows) applied[row.version] = false;
    cliState = {
      migrations: { default: applied },
      settings: { migration_mode: 'true' },
      isStateCopyCompleted: true,
    };
  }
  await client.query(
    'INSERT INTO hdb_catalog.hdb_version (version, upgraded_on, cli_state) VALUES ($1, now(), $2)',
    [catalogVersion, JSON.stringify(cliState)],
  );
}

/** Reads the stored metadata and its resource version; an empty catalog gives empty metadata. */
export async function readStoredMetadata(
  pool: pg.Pool,
): Promise<{ metadata: Metadata; resourceVersion: number }> {
  const result = await pool.query<{ metadata: Metadata; resource_version: number }>(
    'SELECT metadata, resource_version FROM hdb_catalog.hdb_metadata WHERE id = 1',
  );
  const row = result.rows[0];
  if (row === undefined) return { metadata: emptyMetadata(), resourceVersion: 0 };
  return { metadata: row.metadata, resourceVersion: row.resource_version };
}

/** Stores metadata as the new version and returns its resource version. */
export async function storeMetadata(
  pool: pg.Pool | pg.PoolClient,
  metadata: Metadata,
): Promise<number> {
  const result = await pool.query<{ resource_version: number }>(
    `INSERT INTO hdb_catalog.hdb_metadata (id, metadata, resource_version) VALUES (1, $1, 1)
     ON CONFLICT (id) DO UPDATE SET metadata = EXCLUDED.metadata,
       resource_version = hdb_catalog.hdb_metadata.resource_version + 1
     RETURNING resource_version`,
    [JSON.stringify(metadata)],
  );
  return result.rows[0]?.resource_version ?? 1;
}
