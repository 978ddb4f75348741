import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { applyMigrations, readMigrations } from '../../scripts/lib/migrate.js';
import { createTestDatabase, type TestDatabase } from '../harness/db.js';

const projectMigrations = resolve(import.meta.dirname, '../../hasura/migrations/default');

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function migrationFolder(versions: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'acci-migrations-'));
  for (const [name, sql] of Object.entries(versions)) {
    await mkdir(join(folder, name));
    await writeFile(join(folder, name, 'up.sql'), sql);
    await writeFile(join(folder, name, 'down.sql'), '');
  }
  return folder;
}

describe('applyMigrations', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase('migrate', { migrated: false });
  });

  afterEach(async () => {
    await database.drop();
  });

  it('applies the project migrations once, in order', async () => {
    const all = (await readMigrations(projectMigrations)).map((migration) => migration.version);
    expect(await applyMigrations(database.url, projectMigrations)).toEqual(all);
    expect(await applyMigrations(database.url, projectMigrations)).toEqual([]);
    const rows = await query<{ version: string; dirty: boolean }>(
      database.url,
      'SELECT version::text, dirty FROM hdb_catalog.schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(all.map((version) => ({ version, dirty: false })));
  });

  it('continues where the Hasura CLI state says it stopped', async () => {
    const folder = await migrationFolder({
      '100_first': 'CREATE TABLE first_table (id int);',
      '200_second': 'CREATE TABLE second_table (id int);',
    });
    try {
      await query(
        database.url,
        `CREATE SCHEMA hdb_catalog;
         CREATE TABLE hdb_catalog.hdb_version (
           hasura_uuid uuid PRIMARY KEY DEFAULT gen_random_uuid(), version text NOT NULL,
           upgraded_on timestamptz NOT NULL DEFAULT now(),
           cli_state jsonb NOT NULL DEFAULT '{}', console_state jsonb NOT NULL DEFAULT '{}');
         INSERT INTO hdb_catalog.hdb_version (version, cli_state)
           VALUES ('48', '{"migrations": {"default": {"100": false}}}');
         CREATE TABLE first_table (id int);`,
      );
      expect(await applyMigrations(database.url, folder)).toEqual(['200']);
      const [state] = await query<{ cli_state: { migrations: Record<string, unknown> } }>(
        database.url,
        'SELECT cli_state FROM hdb_catalog.hdb_version',
      );
      expect(state?.cli_state.migrations).toEqual({ default: { '100': false, '200': false } });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('rolls back a failing migration and names it', async () => {
    const folder = await migrationFolder({
      '100_good': 'CREATE TABLE good_table (id int);',
      '200_broken': 'CREATE TABLE broken_table (id int); SELECT no_such_function();',
    });
    try {
      await expect(applyMigrations(database.url, folder)).rejects.toThrow(
        /^Migration 200_broken failed: error: function no_such_function\(\) does not exist/,
      );
      const tables = await query<{ name: string | null }>(
        database.url,
        "SELECT to_regclass('public.broken_table')::text AS name",
      );
      expect(tables[0]?.name).toBeNull();
      const versions = await query<{ version: string }>(
        database.url,
        'SELECT version::text FROM hdb_catalog.schema_migrations',
      );
      expect(versions).toEqual([{ version: '100' }]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
