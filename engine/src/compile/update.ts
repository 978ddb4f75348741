import { isNumeric } from '../schema/aggregate-types.js';
import { type JsonbOperator, jsonbOperators } from '../schema/jsonb-operators.js';
import type { TableInfo, UpdateRule } from '../schema/model.js';
import { updatableColumns } from '../schema/mutation-types.js';
import { isRecord } from '../util/json.js';
import { type CompileContext, validationError } from './context.js';
import { castToColumn, columnValueParam } from './params.js';
import { ident, join, raw, type Sql, sql } from './sql.js';
import { VariableRef } from './values.js';

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
    const param = castToColumn(columnValueParam(context, column, item, 'request'), column);
    return [column.name, operator === '_set' ? param : sql`${ident(column.name)} + ${param}`];
  });
}

function jsonbParam(context: CompileContext, operator: JsonbOperator, item: unknown): Sql {
  if (item instanceof VariableRef) {
    const encodings = {
      jsonb: 'json',
      'text[]': 'array',
      text: 'scalar',
      integer: 'scalar',
    } as const;
    const encoding = encodings[operator.value];
    return sql`${{ kind: 'variable', name: item.name, encoding }}::${raw(operator.value)}`;
  }
  const plain = context.variables.resolve(item);
  const value = operator.value === 'jsonb' ? JSON.stringify(plain) : plain;
  return sql`${{ kind: 'value', value }}::${raw(operator.value)}`;
}

/** Builds the SET list of an update from `_set`, `_inc`, the jsonb operators and the presets. */
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
    changes.set(name, castToColumn(columnValueParam(context, column, value, 'permission'), column));
  }
  for (const operator of jsonbOperators) {
    const value = context.variables.resolveShallow(args.get(operator.name));
    if (value === null || value === undefined) continue;
    if (!isRecord(value))
      throw validationError(
        `${path}.args.${operator.name}`,
        `expected an object for type '${table.typeName}${operator.input}'`,
      );
    for (const [key, item] of Object.entries(value)) {
      const column = updatableColumns(table, context.role).find(
        (entry) => entry.fieldName === key && entry.baseType === 'jsonb',
      );
      if (column === undefined) {
        throw validationError(
          `${path}.args.${operator.name}.${key}`,
          `field '${key}' not found in type: '${table.typeName}${operator.input}'`,
        );
      }
      if (changes.has(column.name)) {
        throw validationError(
          `${path}.args`,
          `column found in multiple operators; "${column.name}" in more than one operator`,
        );
      }
      const param = jsonbParam(context, operator, item);
      const current = ident(column.name);
      changes.set(
        column.name,
        operator.name === '_prepend'
          ? sql`${param} || ${current}`
          : sql`${current} ${raw(operator.sql)} ${param}`,
      );
    }
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
