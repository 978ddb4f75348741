import { EngineError } from '../errors.js';
import {
  type Operation,
  type OperationContext,
  parseFailed,
  requireString,
  success,
} from '../metadata/api/context.js';
import type { QualifiedTable, TableEntry } from '../metadata/types.js';
import { qualify } from '../schema/resolve.js';
import { isRecord, type JsonObject } from '../util/json.js';
import { eventCatalogExists } from './catalog.js';
import { defaultRetryConf, readEventTrigger, triggerOperations } from './definition.js';

/** Hasura's limit: `notify_hasura_` and `_INSERT` must fit with the name into 63 characters. */
const maxTriggerNameLength = 42;

/** Session variables Hasura records for an admin request to the metadata API. */
const adminSession = { 'x-hasura-role': 'admin' };

function sameTable(a: QualifiedTable, b: QualifiedTable): boolean {
  return a.schema === b.schema && a.name === b.name;
}

function tableOf(args: JsonObject, path: string): QualifiedTable {
  const table = args.table;
  if (typeof table === 'string') return qualify(table);
  if (isRecord(table) && typeof table.name === 'string') {
    return { schema: typeof table.schema === 'string' ? table.schema : 'public', name: table.name };
  }
  throw parseFailed('key "table" not found', path);
}

function sourceName(args: JsonObject): string {
  return typeof args.source === 'string' ? args.source : 'default';
}

function tableEntries(context: OperationContext, source: string): TableEntry[] {
  return context.draft.sources.find((item) => item.name === source)?.tables ?? [];
}

/** The table entry that holds trigger `name`, or a `not-exists` error as Hasura raises it. */
function entryWithTrigger(context: OperationContext, source: string, name: string): TableEntry {
  const entry = tableEntries(context, source).find((item) =>
    (item.event_triggers ?? []).some((trigger) => isRecord(trigger) && trigger.name === name),
  );
  if (entry === undefined) {
    throw new EngineError('not-exists', `event trigger "${name}" does not exist`, {
      path: '$.args',
    });
  }
  return entry;
}

/** Checks what Hasura's parser of `create_event_trigger` checks, failing at `path`. */
function validateCreate(args: JsonObject, path: string): string {
  const name = requireString(args, 'name');
  const fail = (message: string) => parseFailed(message, path);
  if (!/^[A-Za-z]+[A-Za-z0-9_-]*$/.test(name)) {
    throw fail('only alphanumeric and underscore and hyphens allowed for name');
  }
  if (name.length > maxTriggerNameLength)
    throw fail('event trigger name can be at most 42 characters');
  const ops = ['insert', 'update', 'delete'].filter((op) => isRecord(args[op]));
  if (ops.length === 0 && args.enable_manual !== true) {
    throw fail('atleast one amongst insert/update/delete/enable_manual spec must be provided');
  }
  const hasWebhook = typeof args.webhook === 'string';
  const hasEnv = typeof args.webhook_from_env === 'string';
  if (hasWebhook && hasEnv) throw fail('only one of webhook or webhook_from_env should be given');
  if (!hasWebhook && !hasEnv) throw fail('must provide webhook or webhook_from_env');
  for (const op of ops) {
    const spec = args[op] as JsonObject;
    if (Array.isArray(spec.columns) && spec.columns.length === 0) {
      throw fail('found empty column specification');
    }
    if (Array.isArray(spec.payload) && spec.payload.length === 0) {
      throw fail('found empty payload specification');
    }
  }
  return name;
}

/** The trigger as Hasura stores it in table metadata, with the default retry settings. */
function storedTrigger(args: JsonObject, name: string): JsonObject {
  const definition: JsonObject = { enable_manual: args.enable_manual === true };
  for (const op of ['insert', 'update', 'delete'])
    if (isRecord(args[op])) definition[op] = args[op];
  const retry = isRecord(args.retry_conf) ? args.retry_conf : {};
  const stored: JsonObject = {
    name,
    definition,
    retry_conf: {
      num_retries: retry.num_retries ?? defaultRetryConf.numRetries,
      interval_sec: retry.interval_sec ?? defaultRetryConf.intervalSec,
      timeout_sec: retry.timeout_sec ?? defaultRetryConf.timeoutSec,
    },
  };
  for (const key of [
    'webhook',
    'webhook_from_env',
    'headers',
    'request_transform',
    'response_transform',
    'cleanup_config',
  ]) {
    if (args[key] !== undefined && args[key] !== null) stored[key] = args[key];
  }
  return stored;
}

/** Rejects listed columns that the table lacks, as Hasura's `assertColumnExists` does. */
function checkColumns(context: OperationContext, table: QualifiedTable, stored: JsonObject): void {
  const info = context.state.catalog.tables.get(`${table.schema}.${table.name}`);
  if (info === undefined) return;
  const trigger = readEventTrigger(stored, 'default', table);
  for (const op of triggerOperations) {
    const columns = trigger?.operations[op]?.columns;
    if (!Array.isArray(columns)) continue;
    const missing = columns.find((column) => !info.columnsByName.has(column));
    if (missing !== undefined) {
      throw new EngineError('not-exists', `column "${missing}" does not exist`, { path: '$.args' });
    }
  }
}

function createEventTrigger(path: string): Operation {
  return async (context, args) => {
    const name = validateCreate(args, path);
    const table = tableOf(args, path);
    const source = sourceName(args);
    const entry = tableEntries(context, source).find((item) =>
      sameTable(qualify(item.table), table),
    );
    if (entry === undefined) {
      throw new EngineError('not-exists', `table "${table.name}" does not exist`, {
        path: '$.args',
      });
    }
    const stored = storedTrigger(args, name);
    checkColumns(context, table, stored);
    if (args.replace === true) {
      const current = entryWithTrigger(context, source, name);
      if (current !== entry) {
        throw new EngineError('not-supported', 'cannot replace table or schema for trigger', {
          path: '$.args',
        });
      }
      entry.event_triggers = (entry.event_triggers ?? []).map((item) =>
        isRecord(item) && item.name === name ? stored : item,
      );
    } else {
      const exists = tableEntries(context, source).some((item) =>
        (item.event_triggers ?? []).some((trigger) => isRecord(trigger) && trigger.name === name),
      );
      if (exists) {
        throw new EngineError(
          'already-exists',
          `Event trigger with name "${name}" already exists`,
          {
            path: '$.args',
          },
        );
      }
      entry.event_triggers = [...(entry.event_triggers ?? []), stored];
    }
    context.changed = true;
    return success;
  };
}

const deleteEventTrigger: Operation = async (context, args) => {
  const name = requireString(args, 'name');
  const entry = entryWithTrigger(context, sourceName(args), name);
  entry.event_triggers = (entry.event_triggers ?? []).filter(
    (item) => !(isRecord(item) && item.name === name),
  );
  if (entry.event_triggers.length === 0) delete entry.event_triggers;
  context.changed = true;
  return success;
};

const redeliverEvent: Operation = async (context, args) => {
  const eventId = requireString(args, 'event_id');
  const pool = context.state.pool;
  const found = (await eventCatalogExists(pool))
    ? await pool.query<{ busy: boolean }>(
        `SELECT locked IS NOT NULL AND locked >= now() - interval '30 minute' AS busy
           FROM hdb_catalog.event_log WHERE id = $1`,
        [eventId],
      )
    : { rows: [] };
  const row = found.rows[0];
  if (row === undefined) throw new EngineError('not-exists', 'event not found', { path: '$.args' });
  if (row.busy)
    throw new EngineError('busy', 'event is already being processed', { path: '$.args' });
  await pool.query(
    "UPDATE hdb_catalog.event_log SET delivered = 'f', error = 'f', tries = 0 WHERE id = $1",
    [eventId],
  );
  return success;
};

const invokeEventTrigger: Operation = async (context, args) => {
  const name = requireString(args, 'name');
  if (!('payload' in args)) throw parseFailed('key "payload" not found');
  const source = sourceName(args);
  const entry = entryWithTrigger(context, source, name);
  const stored = (entry.event_triggers ?? []).find((item) => isRecord(item) && item.name === name);
  const trigger = readEventTrigger(stored, source, qualify(entry.table));
  if (trigger?.enableManual !== true) {
    throw new EngineError('not-supported', 'manual mode is not enabled for event trigger', {
      path: '$.args',
    });
  }
  const client = await context.state.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT set_config('hasura.user', $1, true)", [
      JSON.stringify(adminSession),
    ]);
    const inserted = await client.query<{ id: string }>(
      "SELECT hdb_catalog.insert_event_log($1, $2, $3, 'MANUAL', $4) AS id",
      [
        trigger.table.schema,
        trigger.table.name,
        name,
        JSON.stringify({ old: null, new: args.payload }),
      ],
    );
    await client.query('COMMIT');
    return { event_id: inserted.rows[0]?.id };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

/**
 * Event trigger operations of the metadata API (`pg_` names) and of `/v1/query` (plain
 * names). Hasura reports parse failures of the plain form at `$` and of the other at `$.args`.
 */
export const eventTriggerOperations: Record<string, Operation> = {
  create_event_trigger: createEventTrigger('$'),
  pg_create_event_trigger: createEventTrigger('$.args'),
  delete_event_trigger: deleteEventTrigger,
  pg_delete_event_trigger: deleteEventTrigger,
  redeliver_event: redeliverEvent,
  pg_redeliver_event: redeliverEvent,
  invoke_event_trigger: invokeEventTrigger,
  pg_invoke_event_trigger: invokeEventTrigger,
};
