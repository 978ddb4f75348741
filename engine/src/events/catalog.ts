import type pg from 'pg';

/**
 * Hasura's source catalog for event triggers (catalog version 48): the event log, the
 * invocation logs, the cleanup schedule and `insert_event_log`, which every trigger function
 * calls. Every statement is idempotent, so engines that start together may all run it.
 *
 * `insert_event_log` differs from Hasura's in one way: an empty `hasura.user` or
 * `hasura.tracecontext` counts as unset. Postgres leaves a custom setting as the empty string
 * on a connection after a transaction that set it locally, and a pooled connection reused for
 * plain SQL would otherwise fail to cast that to json.
 */
const eventCatalogSql = `
CREATE SCHEMA IF NOT EXISTS hdb_catalog;

CREATE OR REPLACE FUNCTION hdb_catalog.gen_hasura_uuid() RETURNS uuid AS
'select gen_random_uuid()' LANGUAGE SQL;

CREATE TABLE IF NOT EXISTS hdb_catalog.hdb_source_catalog_version(
  version TEXT NOT NULL,
  upgraded_on TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS hdb_source_catalog_version_one_row
  ON hdb_catalog.hdb_source_catalog_version((version IS NOT NULL));
INSERT INTO hdb_catalog.hdb_source_catalog_version (version, upgraded_on)
  VALUES ('3', now()) ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS hdb_catalog.event_log (
  id TEXT DEFAULT hdb_catalog.gen_hasura_uuid() PRIMARY KEY,
  schema_name TEXT NOT NULL,
  table_name TEXT NOT NULL,
  trigger_name TEXT NOT NULL,
  payload JSONB NOT NULL,
  delivered BOOLEAN NOT NULL DEFAULT FALSE,
  error BOOLEAN NOT NULL DEFAULT FALSE,
  tries INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMP DEFAULT NOW(),
  locked TIMESTAMPTZ,
  next_retry_at TIMESTAMP,
  archived BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX IF NOT EXISTS event_log_trigger_name_idx ON hdb_catalog.event_log (trigger_name);
CREATE INDEX IF NOT EXISTS event_log_fetch_events
  ON hdb_catalog.event_log (locked NULLS FIRST, next_retry_at NULLS FIRST, created_at)
  WHERE delivered = 'f' AND error = 'f' AND archived = 'f';

CREATE TABLE IF NOT EXISTS hdb_catalog.event_invocation_logs (
  id TEXT DEFAULT hdb_catalog.gen_hasura_uuid() PRIMARY KEY,
  trigger_name TEXT,
  event_id TEXT,
  status INTEGER,
  request JSON,
  response JSON,
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS event_invocation_logs_event_id_idx
  ON hdb_catalog.event_invocation_logs (event_id);

CREATE TABLE IF NOT EXISTS hdb_catalog.hdb_event_log_cleanups (
  id TEXT DEFAULT hdb_catalog.gen_hasura_uuid() PRIMARY KEY,
  trigger_name TEXT NOT NULL,
  scheduled_at TIMESTAMP NOT NULL,
  deleted_event_logs INTEGER,
  deleted_event_invocation_logs INTEGER,
  status TEXT NOT NULL,
  CHECK (status IN ('scheduled', 'paused', 'completed', 'dead')),
  UNIQUE (trigger_name, scheduled_at)
);

CREATE OR REPLACE FUNCTION hdb_catalog.insert_event_log(
  schema_name text, table_name text, trigger_name text, op text, row_data json)
RETURNS text AS $$
  DECLARE
    id text;
    payload json;
    session_variables json;
    trace_context json;
  BEGIN
    id := gen_random_uuid();
    session_variables := nullif(current_setting('hasura.user', 't'), '');
    trace_context := nullif(current_setting('hasura.tracecontext', 't'), '');
    payload := json_build_object(
      'op', op,
      'data', row_data,
      'session_variables', session_variables,
      'trace_context', trace_context
    );
    INSERT INTO hdb_catalog.event_log (id, schema_name, table_name, trigger_name, payload)
    VALUES (id, schema_name, table_name, trigger_name, payload);
    RETURN id;
  END;
$$ LANGUAGE plpgsql;
`;

/** Tables that Hasura's post-drop-source hook removes from a source that keeps the metadata. */
const dropEventCatalogSql = `
DROP TABLE IF EXISTS hdb_catalog.event_invocation_logs;
DROP TABLE IF EXISTS hdb_catalog.event_log;
DROP TABLE IF EXISTS hdb_catalog.hdb_event_log_cleanups;
DROP TABLE IF EXISTS hdb_catalog.hdb_source_catalog_version;
DROP FUNCTION IF EXISTS hdb_catalog.insert_event_log(text, text, text, text, json);
`;

/** Creates the event catalog when missing. Runs inside the caller's transaction. */
export async function createEventCatalog(client: pg.PoolClient): Promise<void> {
  await client.query(eventCatalogSql);
}

/** Drops the event catalog, as Hasura does when the source is removed from the metadata. */
export async function dropEventCatalog(client: pg.PoolClient): Promise<void> {
  await client.query(dropEventCatalogSql);
}

/** Whether `hdb_catalog.event_log` exists. */
export async function eventCatalogExists(db: pg.Pool | pg.PoolClient): Promise<boolean> {
  const result = await db.query<{ found: boolean }>(
    "SELECT to_regclass('hdb_catalog.event_log') IS NOT NULL AS found",
  );
  return result.rows[0]?.found === true;
}
