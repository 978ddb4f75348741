import { updateRule } from '../schema/access.js';
import type { ColumnField, InsertRule, TableInfo } from '../schema/model.js';
import { insertableColumns, updatableColumns } from '../schema/mutation-types.js';
import { isRecord } from '../util/json.js';
import { type CompileContext, validationError } from './context.js';
import { type CollectedField, checkArguments, fieldArguments } from './fields.js';
import { castToColumn, columnValueParam } from './params.js';
import { ident, join, raw, type Sql, sql } from './sql.js';
import { compileBoolExp } from './where.js';

type Row = Map<string, Sql>;

function readRow(
  context: CompileContext,
  table: TableInfo,
  allowed: ColumnField[],
  value: unknown,
  path: string,
): Row {
  const object = context.variables.resolveShallow(value);
  if (!isRecord(object)) {
    throw validationError(
      path,
      `expected an object for type '${table.typeName}_insert_input', but found ${object === null ? 'null' : `a ${typeof object}`}`,
    );
  }
  const row: Row = new Map();
  for (const [key, item] of Object.entries(object)) {
    const column = allowed.find((entry) => entry.fieldName === key);
    if (column === undefined) {
      throw validationError(
        `${path}.${key}`,
        `field '${key}' not found in type: '${table.typeName}_insert_input'`,
      );
    }
    row.set(column.name, castToColumn(columnValueParam(context, column, item, 'request'), column));
  }
  return row;
}

function presetValues(
  context: CompileContext,
  table: TableInfo,
  set: Record<string, unknown>,
): Row {
  const row: Row = new Map();
  for (const [name, value] of Object.entries(set)) {
    const column = table.columnsByName.get(name);
    if (column === undefined) continue;
    row.set(name, castToColumn(columnValueParam(context, column, value, 'permission'), column));
  }
  return row;
}

function onConflictClause(
  context: CompileContext,
  table: TableInfo,
  alias: Sql,
  value: unknown,
  path: string,
): Sql {
  const spec = context.variables.resolveShallow(value);
  if (spec === null || spec === undefined) return raw('');
  if (!isRecord(spec))
    throw validationError(path, `expected an object for type '${table.typeName}_on_conflict'`);
  const constraint = context.variables.resolve(spec.constraint);
  const known = table.shape.uniqueConstraints.find((entry) => entry.name === constraint);
  if (known === undefined) {
    throw validationError(
      `${path}.constraint`,
      `expected one of the values ${JSON.stringify(table.shape.uniqueConstraints.map((c) => c.name))} for type '${table.typeName}_constraint', but found ${JSON.stringify(constraint)}`,
    );
  }
  const requested = context.variables.resolve(spec.update_columns);
  const names = Array.isArray(requested)
    ? requested
    : requested === undefined || requested === null
      ? []
      : [requested];
  if (names.length === 0) return sql` ON CONFLICT ON CONSTRAINT ${ident(known.name)} DO NOTHING`;

  const rule = updateRule(table, context.role);
  if (rule === undefined)
    throw validationError(
      path,
      `field 'on_conflict' not found in type: '${table.typeName}_insert_input'`,
    );
  const updatable = updatableColumns(table, context.role);
  const assignments = names.map((name) => {
    const column = updatable.find((entry) => entry.fieldName === name || entry.name === name);
    if (column === undefined) {
      throw validationError(
        `${path}.update_columns`,
        `expected one of the values ${JSON.stringify(updatable.map((c) => c.fieldName))} for type '${table.typeName}_update_column', but found ${JSON.stringify(name)}`,
      );
    }
    return sql`${ident(column.name)} = EXCLUDED.${ident(column.name)}`;
  });
  // The update permission's presets apply to rows the upsert updates.
  for (const [name, value] of presetValues(context, table, rule.set)) {
    assignments.push(sql`${ident(name)} = ${value}`);
  }
  const conditions = [compileBoolExp(context, table, alias, rule.filter, '$', 'permission')];
  if (spec.where !== undefined && spec.where !== null) {
    conditions.push(compileBoolExp(context, table, alias, spec.where, `${path}.where`, 'request'));
  }
  return sql` ON CONFLICT ON CONSTRAINT ${ident(known.name)} DO UPDATE SET ${join(assignments, ', ')} WHERE ${join(conditions, ' AND ')}`;
}

/** Reads the `objects` (or `object`) and `on_conflict` arguments of an insert field. */
export function readInsertObjects(
  context: CompileContext,
  field: CollectedField,
  path: string,
  single: boolean,
): { objects: unknown[]; paths: string[]; onConflict: unknown } {
  const argument = single ? 'object' : 'objects';
  checkArguments(field, [argument, 'on_conflict'], path);
  const args = fieldArguments(context, field);
  if (!args.has(argument)) throw validationError(path, `missing required field '${argument}'`);
  const value = context.variables.resolveShallow(args.get(argument));
  const objects = single ? [value] : Array.isArray(value) ? value : [value];
  const paths = objects.map((_, i) =>
    single ? `${path}.args.object` : `${path}.args.objects[${i}]`,
  );
  return { objects, paths, onConflict: context.variables.resolveShallow(args.get('on_conflict')) };
}

/** Builds the INSERT statement of an `insert_*` or `insert_*_one` field, returning every column. */
export function compileInsert(
  context: CompileContext,
  table: TableInfo,
  rule: InsertRule,
  field: CollectedField,
  path: string,
  single: boolean,
): Sql {
  const argument = single ? 'object' : 'objects';
  checkArguments(field, [argument, 'on_conflict'], path);
  const args = fieldArguments(context, field);
  if (!args.has(argument)) throw validationError(path, `missing required field '${argument}'`);
  const objectsValue = context.variables.resolveShallow(args.get(argument));
  const objects = single
    ? [objectsValue]
    : Array.isArray(objectsValue)
      ? objectsValue
      : [objectsValue];
  const target = ident(table.table.schema, table.table.name);
  if (objects.length === 0) return sql`SELECT * FROM ${target} WHERE false`;

  const allowed = insertableColumns(table, context.role);
  const presets = presetValues(context, table, rule.set);
  const rows = objects.map((object, i) =>
    readRow(
      context,
      table,
      allowed,
      object,
      single ? `${path}.args.object` : `${path}.args.objects[${i}]`,
    ),
  );
  const used = table.columns.filter(
    (column) => presets.has(column.name) || rows.some((row) => row.has(column.name)),
  );
  const columns = used.length > 0 ? used : table.columns.slice(0, 1);
  const values = rows.map(
    (row) =>
      sql`(${join(
        columns.map((column) => presets.get(column.name) ?? row.get(column.name) ?? raw('DEFAULT')),
        ', ',
      )})`,
  );
  const alias = context.alias();
  const conflict = onConflictClause(
    context,
    table,
    alias,
    args.get('on_conflict'),
    `${path}.args.on_conflict`,
  );
  const names = join(
    columns.map((column) => ident(column.name)),
    ', ',
  );
  return sql`INSERT INTO ${target} AS ${alias} (${names}) VALUES ${join(values, ', ')}${conflict} RETURNING *`;
}
