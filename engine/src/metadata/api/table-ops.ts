import { EngineError } from '../../errors.js';
import { qualify } from '../../schema/resolve.js';
import { isRecord, type JsonObject } from '../../util/json.js';
import type { Permission, QualifiedTable, Relationship, Source, TableEntry } from '../types.js';
import { type Operation, type OperationContext, parseFailed, success } from './context.js';

function tableArg(args: JsonObject): QualifiedTable {
  const table =
    args.table ??
    (typeof args.name === 'string'
      ? { schema: args.schema ?? 'public', name: args.name }
      : undefined);
  if (typeof table === 'string') return qualify(table);
  if (isRecord(table) && typeof table.name === 'string') {
    return { schema: typeof table.schema === 'string' ? table.schema : 'public', name: table.name };
  }
  throw parseFailed('key "table" not found');
}

export function sourceOf(context: OperationContext, args: JsonObject): Source {
  const name = typeof args.source === 'string' ? args.source : 'default';
  let source = context.draft.sources.find((item) => item.name === name);
  if (source === undefined) {
    source = {
      name,
      kind: 'postgres',
      tables: [],
      configuration: {
        connection_info: { database_url: { from_env: 'HASURA_GRAPHQL_DATABASE_URL' } },
      },
    };
    context.draft.sources.push(source);
  }
  return source;
}

function sameTable(a: QualifiedTable, b: QualifiedTable): boolean {
  return a.schema === b.schema && a.name === b.name;
}

function findEntry(context: OperationContext, args: JsonObject): TableEntry {
  const table = tableArg(args);
  const entry = sourceOf(context, args).tables.find((item) =>
    sameTable(qualify(item.table), table),
  );
  if (entry === undefined) {
    throw new EngineError('not-exists', `table "${table.name}" does not exist`, {
      path: '$.args.table',
    });
  }
  return entry;
}

export const trackTable: Operation = async (context, args) => {
  const table = tableArg(args);
  const source = sourceOf(context, args);
  if (source.tables.some((item) => sameTable(qualify(item.table), table))) {
    throw new EngineError('already-tracked', `view/table already tracked: "${table.name}"`, {
      path: '$.args',
    });
  }
  const shapes = await context.state.pool.query<{ found: boolean }>(
    'SELECT to_regclass(format($1, $2::text, $3::text)) IS NOT NULL AS found',
    ['%I.%I', table.schema, table.name],
  );
  if (shapes.rows[0]?.found !== true) {
    throw new EngineError(
      'invalid-configuration',
      `no such table/view exists in source: "${table.name}"`,
      { path: '$.args' },
    );
  }
  const entry: TableEntry = { table };
  if (isRecord(args.configuration)) entry.configuration = args.configuration;
  if (args.is_enum === true) entry.is_enum = true;
  source.tables.push(entry);
  context.changed = true;
  return success;
};

export const untrackTable: Operation = async (context, args) => {
  const table = tableArg(args);
  const source = sourceOf(context, args);
  const before = source.tables.length;
  source.tables = source.tables.filter((item) => !sameTable(qualify(item.table), table));
  if (source.tables.length === before) {
    throw new EngineError('already-untracked', `view/table already untracked: "${table.name}"`, {
      path: '$.args',
    });
  }
  context.changed = true;
  return success;
};

export const setTableCustomization: Operation = async (context, args) => {
  const entry = findEntry(context, args);
  entry.configuration = isRecord(args.configuration) ? args.configuration : {};
  context.changed = true;
  return success;
};

function addRelationship(kind: 'object_relationships' | 'array_relationships'): Operation {
  return async (context, args) => {
    const entry = findEntry(context, args);
    const name = args.name;
    if (typeof name !== 'string') throw parseFailed('key "name" not found');
    const existing = [...(entry.object_relationships ?? []), ...(entry.array_relationships ?? [])];
    if (existing.some((item) => item.name === name)) {
      throw new EngineError('already-exists', `relationship "${name}" already exists`, {
        path: '$.args',
      });
    }
    const relationship = {
      name,
      using: args.using,
      ...(typeof args.comment === 'string' ? { comment: args.comment } : {}),
    } as Relationship;
    entry[kind] = [...(entry[kind] ?? []), relationship];
    context.changed = true;
    return success;
  };
}

export const createObjectRelationship = addRelationship('object_relationships');
export const createArrayRelationship = addRelationship('array_relationships');

export const dropRelationship: Operation = async (context, args) => {
  const entry = findEntry(context, args);
  const name = args.relationship ?? args.name;
  const keep = (item: Relationship) => item.name !== name;
  const before =
    (entry.object_relationships?.length ?? 0) + (entry.array_relationships?.length ?? 0);
  entry.object_relationships = (entry.object_relationships ?? []).filter(keep);
  entry.array_relationships = (entry.array_relationships ?? []).filter(keep);
  if (before === entry.object_relationships.length + entry.array_relationships.length) {
    throw new EngineError('not-exists', `relationship "${String(name)}" does not exist`, {
      path: '$.args',
    });
  }
  context.changed = true;
  return success;
};

type PermissionKey =
  | 'select_permissions'
  | 'insert_permissions'
  | 'update_permissions'
  | 'delete_permissions';

export function createPermission(key: PermissionKey): Operation {
  return async (context, args) => {
    const entry = findEntry(context, args);
    const role = args.role;
    if (typeof role !== 'string') throw parseFailed('key "role" not found');
    if (role === 'admin') {
      throw new EngineError(
        'constraint-violation',
        `"admin" is the default role and cannot be given ${key.split('_')[0]} permission`,
        { path: '$.args' },
      );
    }
    const list = (entry[key] ?? []) as Permission<unknown>[];
    if (list.some((item) => item.role === role)) {
      throw new EngineError(
        'already-exists',
        `${key.split('_')[0]} permission already defined on table "${entry.table.name}" with role "${role}"`,
        { path: '$.args' },
      );
    }
    list.push({
      role,
      permission: args.permission,
      ...(typeof args.comment === 'string' ? { comment: args.comment } : {}),
    });
    Object.assign(entry, { [key]: list });
    context.changed = true;
    return success;
  };
}

export function dropPermission(key: PermissionKey): Operation {
  return async (context, args) => {
    const entry = findEntry(context, args);
    const list = (entry[key] ?? []) as Permission<unknown>[];
    const remaining = list.filter((item) => item.role !== args.role);
    if (remaining.length === list.length) {
      throw new EngineError(
        'not-exists',
        `${key.split('_')[0]} permission does not exist for role "${String(args.role)}"`,
        { path: '$.args' },
      );
    }
    Object.assign(entry, { [key]: remaining });
    context.changed = true;
    return success;
  };
}

export const addComputedField: Operation = async (context, args) => {
  const entry = findEntry(context, args);
  const name = args.name;
  if (typeof name !== 'string') throw parseFailed('key "name" not found');
  const existing = (entry.computed_fields ?? []) as { name?: string }[];
  if (existing.some((item) => item.name === name)) {
    throw new EngineError('already-exists', `computed field "${name}" already exists`, {
      path: '$.args',
    });
  }
  const field = {
    name,
    definition: args.definition,
    ...(typeof args.comment === 'string' ? { comment: args.comment } : {}),
  };
  entry.computed_fields = [...existing, field];
  context.changed = true;
  return success;
};

export const dropComputedField: Operation = async (context, args) => {
  const entry = findEntry(context, args);
  const existing = (entry.computed_fields ?? []) as { name?: string }[];
  const remaining = existing.filter((item) => item.name !== args.name);
  if (remaining.length === existing.length) {
    throw new EngineError('not-exists', `computed field "${String(args.name)}" does not exist`, {
      path: '$.args',
    });
  }
  entry.computed_fields = remaining;
  context.changed = true;
  return success;
};
