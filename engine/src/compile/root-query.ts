import type { TableInfo } from '../schema/model.js';
import { compileAggregate } from './aggregate.js';
import { type CompileContext, validationError } from './context.js';
import { type CollectedField, checkArguments, fieldArguments } from './fields.js';
import { operandParam } from './params.js';
import { listJson, objectJson } from './select.js';
import { ident, join, raw, type Sql, sql } from './sql.js';

/** Equality on every primary key column, with values read from `args`. */
export function primaryKeyCondition(
  context: CompileContext,
  table: TableInfo,
  args: Map<string, unknown>,
  path: string,
): (alias: Sql) => Sql {
  const parts = table.shape.primaryKey.map((name) => {
    const column = table.columnsByName.get(name);
    if (column === undefined) throw new Error(`primary key column "${name}" is not in the catalog`);
    if (!args.has(column.fieldName)) {
      throw validationError(path, `missing required field '${column.fieldName}'`);
    }
    const param = operandParam(
      context,
      column,
      args.get(column.fieldName),
      `${path}.${column.fieldName}`,
      'request',
      'single',
    );
    return { column, param };
  });
  return (alias) =>
    join(
      parts.map(
        ({ column, param }) =>
          sql`${alias}.${ident(column.name)} = ${param}::${raw(column.sqlType)}`,
      ),
      ' AND ',
    );
}

/** Compiles a select, `_by_pk` or `_aggregate` root field to a JSON expression. */
export function compileSelectRoot(
  context: CompileContext,
  kind: 'select' | 'select_by_pk' | 'select_aggregate',
  table: TableInfo,
  field: CollectedField,
  path: string,
): Sql {
  if (kind === 'select') return listJson(context, table, field, path, undefined);
  if (kind === 'select_aggregate') return compileAggregate(context, table, field, path, undefined);
  const pkNames = table.shape.primaryKey.map(
    (name) => table.columnsByName.get(name)?.fieldName ?? name,
  );
  checkArguments(field, pkNames, path);
  const condition = primaryKeyCondition(
    context,
    table,
    fieldArguments(context, field),
    `${path}.args`,
  );
  return objectJson(context, table, field, path, condition);
}
