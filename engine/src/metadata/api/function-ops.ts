import { EngineError } from '../../errors.js';
import { isRecord, type JsonObject } from '../../util/json.js';
import type { QualifiedTable } from '../types.js';
import { type Operation, parseFailed, success } from './context.js';
import { sourceOf } from './table-ops.js';

/**
 * Reads the function of `track_function` and `untrack_function`: `{schema, name}` in the v1
 * form, `{function: {schema, name}}` or `{function: "name"}` in the `pg_` form.
 */
function functionArg(args: JsonObject): QualifiedTable {
  const target = args.function ?? args;
  if (typeof target === 'string') return { schema: 'public', name: target };
  if (isRecord(target) && typeof target.name === 'string') {
    const schema = typeof target.schema === 'string' ? target.schema : 'public';
    return { schema, name: target.name };
  }
  throw parseFailed('key "function" not found');
}

function trackedName(entry: unknown): QualifiedTable | undefined {
  if (!isRecord(entry)) return undefined;
  try {
    return functionArg(entry);
  } catch {
    return undefined;
  }
}

function sameFunction(entry: unknown, target: QualifiedTable): boolean {
  const name = trackedName(entry);
  return name?.schema === target.schema && name.name === target.name;
}

/**
 * Adds a SQL function to the source's `functions`, as Hasura's `track_function` does. A
 * function returning SETOF a tracked table becomes a root field on the next schema build.
 */
export const trackFunction: Operation = async (context, args) => {
  const target = functionArg(args);
  const source = sourceOf(context, args);
  const functions = source.functions ?? [];
  if (functions.some((entry) => sameFunction(entry, target))) {
    throw new EngineError('already-tracked', `function already tracked : "${target.name}"`, {
      path: '$.args',
    });
  }
  const found = await context.state.pool.query<{ found: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM pg_catalog.pg_proc p
       JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = $1 AND p.proname = $2
     ) AS found`,
    [target.schema, target.name],
  );
  if (found.rows[0]?.found !== true) {
    throw new EngineError('not-exists', `no such function exists in postgres : "${target.name}"`, {
      path: '$.args',
    });
  }
  const entry: JsonObject = { function: { ...target } };
  if (isRecord(args.configuration)) entry.configuration = args.configuration;
  if (Array.isArray(args.permissions)) entry.permissions = args.permissions;
  source.functions = [...functions, entry];
  context.changed = true;
  return success;
};

/** Removes a SQL function from the source's `functions`. */
export const untrackFunction: Operation = async (context, args) => {
  const target = functionArg(args);
  const source = sourceOf(context, args);
  const functions = source.functions ?? [];
  const remaining = functions.filter((entry) => !sameFunction(entry, target));
  if (remaining.length === functions.length) {
    throw new EngineError('not-exists', `function not found in cache "${target.name}"`, {
      path: '$.args',
    });
  }
  source.functions = remaining;
  context.changed = true;
  return success;
};
