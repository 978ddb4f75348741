import pg from 'pg';
import { createTestDatabase } from '../../tests/harness/db.js';
import { engineConfigFromEnv, startEngine } from '../src/index.js';
import { metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

const setupSql = `CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE part (id serial PRIMARY KEY, item_id int REFERENCES item(id), label text);
INSERT INTO item (name) VALUES ('a'), ('b');`;

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine('engine-metadata-api', setupSql, undefined);
});

afterAll(async () => {
  await t.stop();
});

describe('metadata API', () => {
  it('replaces metadata as the CLI sends it and exports it', async () => {
    const metadata = metadataWith([{ table: { schema: 'public', name: 'item' } }]);
    const replaced = await t.admin({
      type: 'replace_metadata',
      version: 2,
      args: { allow_inconsistent_metadata: false, metadata },
    });
    expect(replaced).toEqual({
      status: 200,
      body: { is_consistent: true, inconsistent_objects: [] },
    });
    const exported = await t.admin({ type: 'export_metadata', version: 2, args: {} });
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ metadata, resource_version: expect.any(Number) });
    const stored = await t.sql(
      'SELECT metadata, resource_version FROM hdb_catalog.hdb_metadata WHERE id = 1',
    );
    expect(stored.rows[0]?.metadata).toEqual(metadata);
    const { body } = await t.graphql('{ item(order_by: {id: asc}) { name } }');
    expect(body.data).toEqual({ item: [{ name: 'a' }, { name: 'b' }] });
  });

  it('refuses inconsistent metadata unless allowed', async () => {
    const metadata = metadataWith([{ table: { schema: 'public', name: 'missing' } }]);
    const refused = await t.admin({ type: 'replace_metadata', version: 2, args: { metadata } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'unexpected',
      error: 'cannot continue due to inconsistent metadata',
    });
    const still = await t.graphql('{ item { id } }');
    expect(still.body.errors).toBeUndefined();

    const allowed = await t.admin({
      type: 'replace_metadata',
      version: 2,
      args: { allow_inconsistent_metadata: true, metadata },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ is_consistent: false });
    const report = await t.admin({ type: 'get_inconsistent_metadata', args: {} });
    expect(report.body).toMatchObject({
      is_consistent: false,
      inconsistent_objects: [{ type: 'table', definition: { schema: 'public', name: 'missing' } }],
    });
    const dropped = await t.admin({ type: 'drop_inconsistent_metadata', args: {} });
    expect(dropped.body).toEqual({ message: 'success' });
    const clean = await t.admin({ type: 'get_inconsistent_metadata', args: {} });
    expect(clean.body).toEqual({ is_consistent: true, inconsistent_objects: [] });
  });

  it('tracks tables, relationships and permissions through bulk', async () => {
    await t.admin({ type: 'clear_metadata', args: {} });
    const result = await t.admin({
      type: 'bulk',
      args: [
        { type: 'pg_track_table', args: { table: 'item' } },
        { type: 'pg_track_table', args: { table: { schema: 'public', name: 'part' } } },
        {
          type: 'pg_create_array_relationship',
          args: {
            table: 'item',
            name: 'parts',
            using: { foreign_key_constraint_on: { table: 'part', column: 'item_id' } },
          },
        },
        {
          type: 'pg_create_select_permission',
          args: {
            table: 'item',
            role: 'viewer',
            permission: { columns: ['name'], filter: { id: { _eq: 1 } } },
          },
        },
      ],
    });
    expect(result).toEqual({
      status: 200,
      body: [
        { message: 'success' },
        { message: 'success' },
        { message: 'success' },
        { message: 'success' },
      ],
    });
    await t.sql("INSERT INTO part (item_id, label) VALUES (1, 'p1')");
    const admin = await t.graphql('{ item_by_pk(id: 1) { parts { label } } }');
    expect(admin.body.data).toEqual({ item_by_pk: { parts: [{ label: 'p1' }] } });
    const viewer = await t.graphql('{ item { name } }', {
      headers: { 'x-hasura-admin-secret': 'test-admin-secret', 'x-hasura-role': 'viewer' },
    });
    expect(viewer.body.data).toEqual({ item: [{ name: 'a' }] });
  });

  it('keeps the stored metadata when a bulk step fails', async () => {
    const before = await t.admin({ type: 'export_metadata', args: {} });
    const failed = await t.admin({
      type: 'bulk',
      args: [
        { type: 'pg_untrack_table', args: { table: 'part' } },
        { type: 'pg_track_table', args: { table: 'no_such_table' } },
      ],
    });
    expect(failed.status).toBe(400);
    expect(failed.body).toEqual({
      path: '$.args',
      error: 'no such table/view exists in source: "no_such_table"',
      code: 'invalid-configuration',
    });
    const after = await t.admin({ type: 'export_metadata', args: {} });
    expect(after.body).toEqual(before.body);
  });

  it('reloads metadata after the schema changes', async () => {
    await t.sql('ALTER TABLE item ADD COLUMN note text');
    const missing = await t.graphql('{ item { note } }');
    expect(missing.body.errors?.[0]?.message).toBe("field 'note' not found in type: 'item'");
    const reloaded = await t.admin({ type: 'reload_metadata', args: {} });
    expect(reloaded.body).toMatchObject({ message: 'success', is_consistent: true });
    const present = await t.graphql('{ item(limit: 1) { note } }');
    expect(present.body.data).toEqual({ item: [{ note: null }] });
  });

  it('rejects a relationship without a foreign key', async () => {
    const { status, body } = await t.admin({
      type: 'pg_create_object_relationship',
      args: { table: 'part', name: 'wrong', using: { foreign_key_constraint_on: 'label' } },
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      path: '$.args',
      code: 'invalid-configuration',
      error: 'Inconsistent object: no foreign key constraint exists on column(s) label',
    });
    const exported = JSON.stringify((await t.admin({ type: 'export_metadata', args: {} })).body);
    expect(exported).not.toContain('"wrong"');
  });

  it('rejects an unknown command', async () => {
    const { status, body } = await t.admin({ type: 'do_magic', args: {} });
    expect(status).toBe(400);
    expect(body).toEqual({
      path: '$.type',
      error: 'unknown metadata command "do_magic"',
      code: 'parse-failed',
    });
  });

  it('reports malformed JSON', async () => {
    const response = await fetch(`${t.engine.url}/v1/metadata`, {
      method: 'POST',
      headers: { 'x-hasura-admin-secret': 'test-admin-secret' },
      body: '{"type": "export_metadata", ',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; error: string };
    expect(body.code).toBe('invalid-json');
    expect(body.error).toMatch(/^Error in \$: Failed reading: not a valid json value/);
  });
});

describe('query API', () => {
  it('runs SQL and returns rows as text', async () => {
    const { status, body } = await t.admin(
      {
        type: 'run_sql',
        args: { sql: "SELECT id, name, NULL::text AS nothing FROM item WHERE name = 'a'" },
      },
      '/v2/query',
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      result_type: 'TuplesOk',
      result: [
        ['id', 'name', 'nothing'],
        ['1', 'a', null],
      ],
    });
    const command = await t.admin(
      { type: 'run_sql', args: { sql: 'CREATE TABLE extra (id int)' } },
      '/v1/query',
    );
    expect(command.body).toEqual({ result_type: 'CommandOk', result: null });
  });

  it('refuses writes in read-only mode', async () => {
    const { status, body } = await t.admin(
      { type: 'run_sql', args: { sql: 'DROP TABLE extra', read_only: true } },
      '/v2/query',
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({
      code: 'postgres-error',
      error: 'query execution failed',
      internal: {
        error: {
          message: 'cannot execute DROP TABLE in a read-only transaction',
          status_code: '25006',
        },
      },
    });
  });

  it('untracks tables that run_sql drops', async () => {
    await t.admin(
      { type: 'run_sql', args: { sql: 'CREATE TABLE doomed (id int PRIMARY KEY)' } },
      '/v2/query',
    );
    await t.admin({ type: 'pg_track_table', args: { table: 'doomed' } });
    const dropped = await t.admin(
      { type: 'run_sql', args: { sql: 'DROP TABLE doomed' } },
      '/v2/query',
    );
    expect(dropped.status).toBe(200);
    const exported = JSON.stringify((await t.admin({ type: 'export_metadata', args: {} })).body);
    expect(exported).not.toContain('doomed');
    const report = await t.admin({ type: 'get_inconsistent_metadata', args: {} });
    expect(report.body).toEqual({ is_consistent: true, inconsistent_objects: [] });
  });

  it('picks up tables created by run_sql', async () => {
    await t.admin(
      { type: 'run_sql', args: { sql: 'CREATE TABLE later (id int PRIMARY KEY)' } },
      '/v2/query',
    );
    await t.admin({ type: 'pg_track_table', args: { table: 'later' } });
    const { body } = await t.graphql('{ later { id } }');
    expect(body.data).toEqual({ later: [] });
  });
});

describe('health and version', () => {
  it('answers /healthz and /v1/version', async () => {
    const health = await fetch(`${t.engine.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('OK');
    const version = await fetch(`${t.engine.url}/v1/version`);
    expect(await version.json()).toEqual({ version: 'v2.48.10-acci' });
  });
});

describe('catalog', () => {
  it('copies CLI migration state into hdb_version', async () => {
    const db = await createTestDatabase('engine-catalog', { migrated: false });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA hdb_catalog;
        CREATE TABLE hdb_catalog.schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
        INSERT INTO hdb_catalog.schema_migrations VALUES (1700000000000, false), (1700000000001, false);`);
      const engine = await startEngine(
        engineConfigFromEnv({
          HASURA_GRAPHQL_DATABASE_URL: db.url,
          HASURA_GRAPHQL_SERVER_PORT: '0',
          HASURA_GRAPHQL_SERVER_HOST: '127.0.0.1',
        }),
      );
      await engine.close();
      const version = await client.query(
        'SELECT version, cli_state, console_state FROM hdb_catalog.hdb_version',
      );
      expect(version.rows).toEqual([
        {
          version: '48',
          cli_state: {
            migrations: { default: { '1700000000000': false, '1700000000001': false } },
            settings: { migration_mode: 'true' },
            isStateCopyCompleted: true,
          },
          console_state: {},
        },
      ]);
      const metadata = await client.query(
        'SELECT count(*)::int AS n FROM hdb_catalog.hdb_metadata',
      );
      expect(metadata.rows[0]?.n).toBe(0);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
