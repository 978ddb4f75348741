import { EngineError } from '../../errors.js';
import { eventOperations } from '../../events/operations.js';
import type { EngineState } from '../../state.js';
import { isRecord } from '../../util/json.js';
import type { Metadata } from '../types.js';
import {
  clearMetadata,
  dropInconsistentMetadata,
  exportMetadata,
  getInconsistentMetadata,
  reloadMetadata,
  replaceMetadata,
} from './catalog-ops.js';
import { collectionOperations } from './collection-ops.js';
import { argsObject, type Operation, type OperationContext } from './context.js';
import { dmlOperations } from './dml-ops.js';
import { trackFunction, untrackFunction } from './function-ops.js';
import { roleOperations } from './role-ops.js';
import { runSql } from './run-sql.js';
import {
  addComputedField,
  createArrayRelationship,
  createObjectRelationship,
  createPermission,
  dropComputedField,
  dropPermission,
  dropRelationship,
  setTableCustomization,
  trackTable,
  untrackTable,
} from './table-ops.js';

const tableOperations: Record<string, Operation> = {
  track_table: trackTable,
  untrack_table: untrackTable,
  set_table_customization: setTableCustomization,
  create_object_relationship: createObjectRelationship,
  create_array_relationship: createArrayRelationship,
  drop_relationship: dropRelationship,
  add_computed_field: addComputedField,
  drop_computed_field: dropComputedField,
  track_function: trackFunction,
  untrack_function: untrackFunction,
  create_select_permission: createPermission('select_permissions'),
  create_insert_permission: createPermission('insert_permissions'),
  create_update_permission: createPermission('update_permissions'),
  create_delete_permission: createPermission('delete_permissions'),
  drop_select_permission: dropPermission('select_permissions'),
  drop_insert_permission: dropPermission('insert_permissions'),
  drop_update_permission: dropPermission('update_permissions'),
  drop_delete_permission: dropPermission('delete_permissions'),
};

const operations: Record<string, Operation> = {
  replace_metadata: replaceMetadata,
  export_metadata: exportMetadata,
  reload_metadata: reloadMetadata,
  clear_metadata: clearMetadata,
  get_inconsistent_metadata: getInconsistentMetadata,
  drop_inconsistent_metadata: dropInconsistentMetadata,
  run_sql: runSql,
  ...tableOperations,
  ...Object.fromEntries(Object.entries(tableOperations).map(([name, op]) => [`pg_${name}`, op])),
  ...collectionOperations,
  ...roleOperations,
  ...eventOperations,
  ...dmlOperations,
};

/** Operations that `/v1/query` and `/v2/query` accept besides those of `/v1/metadata`. */
const queryOnly = new Set(Object.keys(dmlOperations));

async function runOne(
  context: OperationContext,
  body: unknown,
  endpoint: 'metadata' | 'query',
): Promise<unknown> {
  if (!isRecord(body) || typeof body.type !== 'string') {
    throw new EngineError('parse-failed', 'key "type" not found', { path: '$' });
  }
  const type = body.type;
  if (type === 'bulk' || type === 'concurrent_bulk') {
    if (!Array.isArray(body.args))
      throw new EngineError('parse-failed', 'expected Array for "args"', { path: '$.args' });
    const results: unknown[] = [];
    for (const item of body.args) results.push(await runOne(context, item, endpoint));
    return results;
  }
  const operation = operations[type];
  const allowedHere = endpoint === 'query' || !queryOnly.has(type);
  if (operation === undefined || !allowedHere) {
    throw new EngineError('parse-failed', `unknown metadata command "${type}"`, { path: '$.type' });
  }
  if (type in dmlOperations && context.changed) {
    // Later steps of a bulk request see tables that earlier steps tracked.
    await context.state.activate(
      structuredClone(context.draft) as Metadata,
      context.state.resourceVersion,
    );
    context.schemaChanged = true;
  }
  // Hasura's v1 `track_table` also takes the table name alone as its arguments.
  const shorthand = typeof body.args === 'string' && type.endsWith('track_table');
  return operation(context, shorthand ? { table: body.args } : argsObject(body.args));
}

/**
 * Rejects a change that makes objects inconsistent which were consistent before, as Hasura
 * validates each metadata operation.
 */
async function rejectNewInconsistencies(
  context: OperationContext,
  original: Metadata,
): Promise<void> {
  const before = new Set(context.state.inconsistent.map((item) => item.name));
  await context.state.activate(
    structuredClone(original) as Metadata,
    context.state.resourceVersion,
  );
  for (const item of context.state.inconsistent) before.add(item.name);
  await context.state.activate(
    structuredClone(context.draft) as Metadata,
    context.state.resourceVersion,
  );
  context.schemaChanged = true;
  const introduced = context.state.inconsistent.filter((item) => !before.has(item.name));
  const [first] = introduced;
  if (first === undefined) return;
  throw new EngineError('invalid-configuration', first.reason, {
    path: '$.args',
    extensions: { internal: introduced },
  });
}

/**
 * Runs a metadata or query API request. Changes to the metadata are stored once, after every
 * operation of the request succeeded; a failure leaves the stored metadata as it was.
 */
export async function runAdminRequest(
  state: EngineState,
  body: unknown,
  endpoint: 'metadata' | 'query',
): Promise<unknown> {
  const context: OperationContext = {
    state,
    draft: structuredClone(state.metadata) as Metadata,
    changed: false,
    schemaChanged: false,
    consistencyChecked: false,
    version: isRecord(body) && typeof body.version === 'number' ? body.version : undefined,
  };
  // Operations may activate drafts, so the live metadata is restored from this copy on failure.
  const original = { metadata: state.metadata, version: state.resourceVersion };
  try {
    const result = await runOne(context, body, endpoint);
    if (context.changed && !context.consistencyChecked) {
      await rejectNewInconsistencies(context, original.metadata);
    }
    if (context.changed) await state.replace(context.draft);
    else if (context.schemaChanged) await state.activate(original.metadata, original.version);
    return result;
  } catch (error) {
    if (context.schemaChanged) {
      await state.activate(original.metadata, original.version).catch((reason: unknown) => {
        state.log({ level: 'error', type: 'metadata-restore', error: String(reason) });
      });
    }
    throw error;
  }
}
