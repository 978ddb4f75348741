import type { FunctionShape } from '../database/functions.js';
import { type TableShape, tableKey } from '../database/introspect.js';
import type {
  ForeignKeyUsing,
  Metadata,
  QualifiedTable,
  Relationship,
  RootFieldName,
  TableEntry,
} from '../metadata/types.js';
import { isRecord } from '../util/json.js';
import { computedFieldName, resolveComputedField } from './computed-fields.js';
import { applyInheritedRoles } from './inherited-roles.js';
import type {
  Catalog,
  ColumnField,
  InconsistentObject,
  RelationshipInfo,
  RootFieldNames,
  TableInfo,
  TableRules,
} from './model.js';
import { resolveRootFunctions } from './root-functions.js';

/** Accepts `{schema, name}` or a bare name in `public`, as Hasura does. */
export function qualify(table: QualifiedTable | string): QualifiedTable {
  if (typeof table === 'string') return { schema: 'public', name: table };
  return { schema: table.schema ?? 'public', name: table.name };
}

/** Hasura's default GraphQL name: the table name, prefixed by its schema outside `public`. */
export function defaultTypeName(table: QualifiedTable): string {
  return table.schema === 'public' ? table.name : `${table.schema}_${table.name}`;
}

function rootName(custom: RootFieldName | undefined, fallback: string): string {
  if (typeof custom === 'string' && custom !== '') return custom;
  if (custom !== null && typeof custom === 'object' && custom.name) return custom.name;
  return fallback;
}

function rootFieldNames(entry: TableEntry, base: string): RootFieldNames {
  const custom = entry.configuration?.custom_root_fields ?? {};
  return {
    select: rootName(custom.select, base),
    selectByPk: rootName(custom.select_by_pk, `${base}_by_pk`),
    selectAggregate: rootName(custom.select_aggregate, `${base}_aggregate`),
    insert: rootName(custom.insert, `insert_${base}`),
    insertOne: rootName(custom.insert_one, `insert_${base}_one`),
    update: rootName(custom.update, `update_${base}`),
    updateByPk: rootName(custom.update_by_pk, `update_${base}_by_pk`),
    updateMany: rootName(custom.update_many, `update_${base}_many`),
    delete: rootName(custom.delete, `delete_${base}`),
    deleteByPk: rootName(custom.delete_by_pk, `delete_${base}_by_pk`),
  };
}

function rootComments(entry: TableEntry): TableInfo['rootComments'] {
  const custom = entry.configuration?.custom_root_fields ?? {};
  const keys: [keyof RootFieldNames, RootFieldName | undefined][] = [
    ['select', custom.select],
    ['selectByPk', custom.select_by_pk],
    ['selectAggregate', custom.select_aggregate],
    ['insert', custom.insert],
    ['insertOne', custom.insert_one],
    ['update', custom.update],
    ['updateByPk', custom.update_by_pk],
    ['delete', custom.delete],
    ['deleteByPk', custom.delete_by_pk],
  ];
  const out: TableInfo['rootComments'] = {};
  for (const [key, value] of keys) {
    if (value !== null && typeof value === 'object' && value.comment) out[key] = value.comment;
  }
  return out;
}

function columnFields(entry: TableEntry, shape: TableShape): ColumnField[] {
  const config = entry.configuration?.column_config ?? {};
  const legacy = entry.configuration?.custom_column_names ?? {};
  return shape.columns.map((column) => ({
    ...column,
    fieldName: config[column.name]?.custom_name ?? legacy[column.name] ?? column.name,
    description: config[column.name]?.comment ?? column.comment,
  }));
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((column) => b.includes(column));
}

/** Returns the local columns that `foreign_key_constraint_on` names as a column, a list or `{column(s)}`. */
function foreignKeyColumns(using: ForeignKeyUsing): string[] {
  if (typeof using === 'string') return [using];
  if (Array.isArray(using)) return using.filter((item): item is string => typeof item === 'string');
  const columns: unknown = using.columns;
  if (typeof columns === 'string') return [columns];
  if (Array.isArray(columns))
    return columns.filter((item): item is string => typeof item === 'string');
  return using.column === undefined ? [] : [using.column];
}

/** Resolves one relationship to a target table and column mapping, or explains why not. */
function resolveRelationship(
  kind: 'object' | 'array',
  relationship: Relationship,
  shape: TableShape,
  shapes: Map<string, TableShape>,
): RelationshipInfo | string {
  const base = { name: relationship.name, kind, description: relationship.comment ?? null };
  const manual = relationship.using.manual_configuration;
  if (manual !== undefined) {
    const target = qualify(manual.remote_table);
    if (!shapes.has(tableKey(target))) return `table "${tableKey(target)}" is not tracked`;
    return { ...base, target: tableKey(target), mapping: Object.entries(manual.column_mapping) };
  }
  const using = relationship.using.foreign_key_constraint_on;
  if (using === undefined) return 'the relationship has no "using" clause';

  const local = foreignKeyColumns(using);
  const remoteTable =
    !Array.isArray(using) && typeof using === 'object' && using.table !== undefined
      ? qualify(using.table)
      : undefined;
  if (remoteTable === undefined) {
    const fk = shape.foreignKeys.find((key) => sameColumns(key.columns, local));
    if (fk === undefined)
      return `no foreign key constraint exists on column(s) ${local.join(', ')}`;
    const mapping = fk.columns.map((column, i): [string, string] => [
      column,
      fk.targetColumns[i] ?? column,
    ]);
    return { ...base, target: tableKey(fk.target), mapping };
  }
  const remote = shapes.get(tableKey(remoteTable));
  if (remote === undefined) return `table "${tableKey(remoteTable)}" is not tracked`;
  const fk = remote.foreignKeys.find(
    (key) => sameColumns(key.columns, local) && tableKey(key.target) === tableKey(shape.table),
  );
  if (fk === undefined) return `no foreign key constraint exists on column(s) ${local.join(', ')}`;
  const mapping = fk.columns.map((column, i): [string, string] => [
    fk.targetColumns[i] ?? column,
    column,
  ]);
  return { ...base, target: tableKey(remoteTable), mapping };
}

function allColumns(shape: TableShape, columns: string[] | '*' | undefined): Set<string> {
  if (columns === '*') return new Set(shape.columns.map((column) => column.name));
  return new Set(columns ?? []);
}

function tableRules(
  entry: TableEntry,
  shape: TableShape,
  roles: Set<string>,
): Map<string, TableRules> {
  const rules = new Map<string, TableRules>();
  const rulesOf = (role: string): TableRules => {
    roles.add(role);
    let found = rules.get(role);
    if (found === undefined) {
      found = { select: undefined, insert: undefined, update: undefined, delete: undefined };
      rules.set(role, found);
    }
    return found;
  };
  for (const { role, permission } of entry.select_permissions ?? []) {
    const rootFields = permission.query_root_fields;
    rulesOf(role).select = {
      columns: allColumns(shape, permission.columns),
      computedFields: new Set(permission.computed_fields ?? []),
      filter: permission.filter ?? {},
      limit: permission.limit ?? undefined,
      allowAggregations: permission.allow_aggregations === true,
      queryRootFields:
        rootFields === undefined || rootFields === null ? undefined : new Set(rootFields),
    };
  }
  for (const { role, permission } of entry.insert_permissions ?? []) {
    rulesOf(role).insert = {
      columns: allColumns(shape, permission.columns ?? '*'),
      check: permission.check ?? {},
      set: permission.set ?? {},
      backendOnly: permission.backend_only === true,
    };
  }
  for (const { role, permission } of entry.update_permissions ?? []) {
    rulesOf(role).update = {
      columns: allColumns(shape, permission.columns),
      filter: permission.filter ?? {},
      check: permission.check ?? undefined,
      set: permission.set ?? {},
      backendOnly: permission.backend_only === true,
    };
  }
  for (const { role, permission } of entry.delete_permissions ?? []) {
    rulesOf(role).delete = {
      filter: permission.filter ?? {},
      backendOnly: permission.backend_only === true,
    };
  }
  return rules;
}

/** Returns every table tracked in the metadata's sources. */
export function trackedTables(metadata: Metadata): TableEntry[] {
  return metadata.sources.flatMap((source) => source.tables);
}

/**
 * Joins the metadata with the database's shape of each tracked table. Tables and relationships
 * that do not resolve are left out and reported as inconsistent objects.
 */
export function resolveCatalog(
  metadata: Metadata,
  shapes: Map<string, TableShape>,
  functions: Map<string, FunctionShape> = new Map(),
): { catalog: Catalog; inconsistent: InconsistentObject[] } {
  const tables = new Map<string, TableInfo>();
  const roles = new Set<string>();
  const inconsistent: InconsistentObject[] = [];
  const entries = trackedTables(metadata);
  for (const entry of entries) {
    const table = qualify(entry.table);
    const shape = shapes.get(tableKey(table));
    if (shape === undefined) {
      inconsistent.push({
        type: 'table',
        name: `table ${table.schema}.${table.name} in source default`,
        reason: `Inconsistent object: no such table/view exists in source: "${tableKey(table)}"`,
        definition: table,
      });
      continue;
    }
    const typeName = entry.configuration?.custom_name ?? defaultTypeName(table);
    const columns = columnFields(entry, shape);
    tables.set(tableKey(table), {
      key: tableKey(table),
      table,
      shape,
      typeName,
      description: entry.configuration?.comment ?? shape.comment,
      columns,
      columnsByName: new Map(columns.map((column) => [column.name, column])),
      relationships: [],
      computedFields: [],
      rootFields: rootFieldNames(entry, typeName),
      rootComments: rootComments(entry),
      rules: tableRules(entry, shape, roles),
    });
  }
  for (const entry of entries) {
    const info = tables.get(tableKey(qualify(entry.table)));
    if (info === undefined) continue;
    const pairs: ['object' | 'array', Relationship][] = [
      ...(entry.object_relationships ?? []).map((r): ['object', Relationship] => ['object', r]),
      ...(entry.array_relationships ?? []).map((r): ['array', Relationship] => ['array', r]),
    ];
    for (const [kind, relationship] of pairs) {
      const resolved = resolveRelationship(kind, relationship, info.shape, shapes);
      if (typeof resolved === 'string' || !tables.has(resolved.target)) {
        inconsistent.push({
          type: `${kind}_relation`,
          name: `${kind}_relation ${relationship.name} in table ${info.key} in source default`,
          reason: `Inconsistent object: ${typeof resolved === 'string' ? resolved : 'the remote table is not tracked'}`,
          definition: relationship,
        });
        continue;
      }
      info.relationships.push(resolved);
    }
  }
  for (const entry of entries) {
    const info = tables.get(tableKey(qualify(entry.table)));
    if (info === undefined) continue;
    for (const field of entry.computed_fields ?? []) {
      const resolved = resolveComputedField(field, functions, tables);
      if (typeof resolved === 'string') {
        inconsistent.push({
          type: 'computed_field',
          name: `computed_field ${computedFieldName(field)} in table ${info.key} in source default`,
          reason: `Inconsistent object: ${resolved}`,
          definition: field,
        });
      } else {
        info.computedFields.push(resolved);
      }
    }
  }
  applyInheritedRoles(tables, metadata.inherited_roles ?? [], roles);
  const rootFunctions = resolveRootFunctions(metadata, functions, tables, inconsistent);
  return { catalog: { tables, roles, functions: rootFunctions }, inconsistent };
}

/** Returns the functions that the tracked tables' computed fields call. */
export function computedFieldFunctions(metadata: Metadata): QualifiedTable[] {
  const found: QualifiedTable[] = [];
  for (const entry of trackedTables(metadata)) {
    for (const field of entry.computed_fields ?? []) {
      const definition = isRecord(field) && isRecord(field.definition) ? field.definition : {};
      const functionValue = definition.function;
      if (typeof functionValue === 'string') found.push({ schema: 'public', name: functionValue });
      else if (isRecord(functionValue) && typeof functionValue.name === 'string') {
        found.push({
          schema: typeof functionValue.schema === 'string' ? functionValue.schema : 'public',
          name: functionValue.name,
        });
      }
    }
  }
  return found;
}
