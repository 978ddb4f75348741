import type pg from 'pg';
import { ident, sql } from '../compile/sql.js';
import { tableKey } from '../database/introspect.js';
import type { Metadata } from '../metadata/types.js';
import type { Catalog, InconsistentObject } from '../schema/model.js';
import { createEventCatalog, dropEventCatalog, eventCatalogExists } from './catalog.js';
import { type EventTriggerDef, listEventTriggers, triggerOperations } from './definition.js';
import { functionBody, renderDdl, triggerFunctionName, triggerSql } from './trigger-sql.js';

/** Serialises trigger installation between engines that share one database. */
const installLockKey = 4_815_162_343;

interface DesiredTrigger {
  trigger: EventTriggerDef;
  name: string;
  createFunction: string;
  createTrigger: string;
}

interface InstalledFunction {
  name: string;
  body: string;
  /** `[schema, table]` of every SQL trigger that calls the function. */
  tables: [string, string][];
}

export interface SyncOptions {
  stringify: boolean;
  /** Drop the event catalog when no trigger remains, as removing the source does in Hasura. */
  dropCatalog: boolean;
}

function inconsistentTrigger(trigger: EventTriggerDef, reason: string): InconsistentObject {
  return {
    type: 'event_trigger',
    name: `event_trigger ${trigger.name} in table ${trigger.table.name} in source ${trigger.source}`,
    reason: `Inconsistent object: in table "${trigger.table.name}": in event trigger "${trigger.name}": ${reason}`,
    definition: { source: trigger.source, table: trigger.table, name: trigger.name },
  };
}

/** The SQL triggers that the metadata asks for, and the triggers that cannot be built. */
function desiredTriggers(
  metadata: Metadata,
  catalog: Catalog,
  stringify: boolean,
): { desired: DesiredTrigger[]; inconsistent: InconsistentObject[] } {
  const desired: DesiredTrigger[] = [];
  const inconsistent: InconsistentObject[] = [];
  for (const trigger of listEventTriggers(metadata)) {
    const info = catalog.tables.get(tableKey(trigger.table));
    // A missing table is reported by the catalog itself.
    if (info === undefined) continue;
    const columns = info.shape.columns;
    const known = new Set(columns.map((column) => column.name));
    const missing = triggerOperations
      .flatMap((op) => {
        const spec = trigger.operations[op];
        const lists = [spec?.columns, spec?.payload].filter(Array.isArray);
        return lists.flat();
      })
      .find((column) => !known.has(column));
    if (missing !== undefined) {
      inconsistent.push(inconsistentTrigger(trigger, `column "${missing}" does not exist`));
      continue;
    }
    for (const op of triggerOperations) {
      const spec = trigger.operations[op];
      if (spec === undefined) continue;
      const statements = triggerSql(trigger, op, spec, columns, stringify);
      desired.push({ trigger, name: triggerFunctionName(trigger.name, op), ...statements });
    }
  }
  return { desired, inconsistent };
}

async function installedFunctions(db: pg.Pool | pg.PoolClient): Promise<InstalledFunction[]> {
  const result = await db.query<InstalledFunction>(`
    SELECT p.proname AS name, p.prosrc AS body,
           coalesce((SELECT json_agg(json_build_array(tn.nspname, tc.relname))
                       FROM pg_trigger t
                       JOIN pg_class tc ON tc.oid = t.tgrelid
                       JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                      WHERE t.tgfoid = p.oid AND t.tgname = p.proname AND NOT t.tgisinternal),
                    '[]') AS tables
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'hdb_catalog' AND p.proname LIKE 'notify\\_hasura\\_%'`);
  return result.rows;
}

/**
 * Installs, replaces and drops the SQL triggers in `hdb_catalog` so that they match the event
 * triggers of `metadata`, and archives the events of triggers that are gone. Returns the
 * triggers that could not be installed.
 */
export async function syncEventTriggers(
  pool: pg.Pool,
  metadata: Metadata,
  catalog: Catalog,
  options: SyncOptions,
): Promise<InconsistentObject[]> {
  const { desired, inconsistent } = desiredTriggers(metadata, catalog, options.stringify);
  const installed = await installedFunctions(pool);
  if (desired.length === 0 && installed.length === 0 && !options.dropCatalog) return inconsistent;

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [installLockKey]);
    const catalogExists = await eventCatalogExists(client);
    if (desired.length > 0 && !catalogExists) await createEventCatalog(client);
    const current = await installedFunctions(client);
    await dropUnwanted(client, current, desired, catalogExists);
    for (const item of desired) {
      const failure = await installOne(client, item, current);
      if (failure !== undefined) inconsistent.push(inconsistentTrigger(item.trigger, failure));
    }
    if (desired.length === 0 && options.dropCatalog && catalogExists)
      await dropEventCatalog(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return inconsistent;
}

/** Drops functions (and with them their SQL triggers) that the metadata no longer has. */
async function dropUnwanted(
  client: pg.PoolClient,
  current: InstalledFunction[],
  desired: DesiredTrigger[],
  catalogExists: boolean,
): Promise<void> {
  const wanted = new Set(desired.map((item) => item.name));
  const remainingTriggers = new Set(desired.map((item) => item.trigger.name));
  for (const installed of current) {
    if (wanted.has(installed.name)) continue;
    const functionName = ident('hdb_catalog', installed.name);
    await client.query(renderDdl(sql`DROP FUNCTION IF EXISTS ${functionName}() CASCADE`));
    const triggerName = installed.name
      .replace(/^notify_hasura_/, '')
      .replace(/_(INSERT|UPDATE|DELETE)$/, '');
    if (catalogExists && !remainingTriggers.has(triggerName)) {
      await client.query(
        "UPDATE hdb_catalog.event_log SET archived = 't' WHERE trigger_name = $1 AND archived = 'f'",
        [triggerName],
      );
    }
  }
}

/** Creates or replaces one trigger function and its SQL trigger; returns why it failed. */
async function installOne(
  client: pg.PoolClient,
  item: DesiredTrigger,
  current: InstalledFunction[],
): Promise<string | undefined> {
  const existing = current.find((installed) => installed.name === item.name);
  const { schema, name } = item.trigger.table;
  const onTable = existing?.tables.some(([s, t]) => s === schema && t === name) === true;
  const bodyMatches = existing?.body === functionBody(item.createFunction);
  if (bodyMatches && onTable && existing?.tables.length === 1) return undefined;

  await client.query('SAVEPOINT install_trigger');
  try {
    if (!bodyMatches) await client.query(item.createFunction);
    for (const [otherSchema, otherTable] of existing?.tables ?? []) {
      const table = ident(otherSchema, otherTable);
      await client.query(renderDdl(sql`DROP TRIGGER IF EXISTS ${ident(item.name)} ON ${table}`));
    }
    await client.query(item.createTrigger);
    await client.query('RELEASE SAVEPOINT install_trigger');
    return undefined;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT install_trigger');
    return error instanceof Error ? error.message : String(error);
  }
}
