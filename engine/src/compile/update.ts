import { isNumeric } from '../schema/aggregate-types.js';
import type { TableInfo, UpdateRule } from '../schema/model.js';
import { updatableColumns } from '../schema/mutation-types.js';
import { isRecord } from '../util/json.js';
import { type CompileContext, validationError } from './context.js';
import { columnValueParam } from './params.js';
import { ident, join, raw, type Sql, sql } from './sql.js';

function readChanges(
  context: CompileContext,
  table: TableInfo,
  operator: '_set' | '_inc',
  value: unknown,
  path: string,
): [string, Sql][] {
  const object = context.variables.resolveShallow(value);
  if (object === null || object === undefined) return [];
  const typeName = `${table.typeName}${operator === '_set' ? '_set_input' : '_inc_input'}`;
  if (!isRecord(object)) throw validationError(path, `expected an object for type '${typeName}'`);
  const allowed = updatableColumns(table, context.role).filter(
    (column) => operator === '_set' || isNumeric(column),
  );
  return Object.entries(object).map(([key, item]) => {
    const column = allowed.find((entry) => entry.fieldName === key);
    if (column === undefined)
      throw validationError(`${path}.${key}`, `field '${key}' not found in type: '${typeName}'`);
    const param = sql`${columnValueParam(context, column, item, 'request')}::${raw(column.sqlType)}`;
    return [column.name, operator === '_set' ? param : sql`${ident(column.name)} + ${param}`];
  });
}

/** The SET list of an update: `_set`, `_inc` and the permission's presets. */
export function compileSetClause(
  context: CompileContext,
  table: TableInfo,
  rule: UpdateRule,
  alias: Sql,
  args: Map<string, unknown>,
  path: string,
): Sql {
  const changes = new Map<string, Sql>();
  for (const [name, value] of readChanges(
    context,
    table,
    '_set',
    args.get('_set'),
    `${path}.args._set`,
  ))
    changes.set(name, value);
  for (const [name, value] of readChanges(
    context,
    table,
    '_inc',
    args.get('_inc'),
    `${path}.args._inc`,
  )) {
    if (changes.has(name))
      throw validationError(
        `${path}.args`,
        `column found in multiple operators; "${name}" in _set, _inc operators`,
      );
    changes.set(name, value);
  }
  for (const [name, value] of Object.entries(rule.set)) {
    const column = table.columnsByName.get(name);
    if (column === undefined) continue;
    changes.set(
      name,
      sql`${columnValueParam(context, column, value, 'permission')}::${raw(column.sqlType)}`,
    );
  }
  if (changes.size === 0) {
    // Nothing to change: assign a column to itself so the statement still returns the rows.
    const first = table.shape.primaryKey[0] ?? table.columns[0]?.name ?? 'id';
    return sql`${ident(first)} = ${alias}.${ident(first)}`;
  }
  return join(
    [...changes].map(([name, value]) => sql`${ident(name)} = ${value}`),
    ', ',
  );
}
