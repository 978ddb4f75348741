import { selectableColumns } from '../schema/access.js';
import { floatAggregates, isComparable, isNumeric } from '../schema/aggregate-types.js';
import type { ColumnField, TableInfo } from '../schema/model.js';
import { scalarName, stringifiedScalars } from '../schema/scalars.js';
import { type CompileContext, validationError } from './context.js';
import { type CollectedField, checkArguments, fieldArguments, subFields } from './fields.js';
import { jsonObject } from './json-object.js';
import { aggOrder, listQuery, orderColumns, rowJson } from './select.js';
import { ident, join, literal, raw, type Sql, sql } from './sql.js';

const aggregateOps = new Set<string>([...floatAggregates, 'sum', 'max', 'min']);

function aggregateValue(
  context: CompileContext,
  op: string,
  column: ColumnField,
  source: Sql,
): Sql {
  const value = sql`${raw(op)}(${source}.${ident(column.name)})`;
  const stringified = context.stringifyNumeric && stringifiedScalars.has(scalarName(column));
  if (stringified) return sql`(${value})::text`;
  if ((floatAggregates as readonly string[]).includes(op)) return sql`(${value})::float8`;
  return value;
}

function countValue(
  context: CompileContext,
  table: TableInfo,
  field: CollectedField,
  source: Sql,
  path: string,
): Sql {
  checkArguments(field, ['columns', 'distinct'], path);
  const args = fieldArguments(context, field);
  const distinct = context.variables.resolve(args.get('distinct')) === true;
  const requested = context.variables.resolve(args.get('columns'));
  const names =
    requested === null || requested === undefined
      ? []
      : Array.isArray(requested)
        ? requested
        : [requested];
  if (names.length === 0) return distinct ? sql`count(DISTINCT ${source}.*)` : raw('count(*)');
  const columns = selectableColumns(table, context.role);
  const refs = names.map((name) => {
    const column = columns.find((entry) => entry.fieldName === name || entry.name === name);
    if (column === undefined) {
      throw validationError(
        `${path}.args.columns`,
        `expected one of the values ${JSON.stringify(columns.map((c) => c.fieldName))} for type '${table.typeName}_select_column', but found ${JSON.stringify(name)}`,
      );
    }
    return sql`${source}.${ident(column.name)}`;
  });
  const target = refs.length === 1 ? (refs[0] as Sql) : sql`(${join(refs, ', ')})`;
  return distinct ? sql`count(DISTINCT ${target})` : sql`count(${target})`;
}

function opObject(
  context: CompileContext,
  table: TableInfo,
  op: string,
  field: CollectedField,
  source: Sql,
  path: string,
): Sql {
  const typeName = `${table.typeName}_${op}_fields`;
  const columns = selectableColumns(table, context.role).filter(
    op === 'max' || op === 'min' ? isComparable : isNumeric,
  );
  const pairs: [string, Sql][] = [];
  for (const item of subFields(context, field, typeName, path)) {
    if (item.name === '__typename') {
      pairs.push([item.key, literal(typeName)]);
      continue;
    }
    const column = columns.find((entry) => entry.fieldName === item.name);
    if (column === undefined) {
      throw validationError(
        `${path}.selectionSet.${item.key}`,
        `field '${item.name}' not found in type: '${typeName}'`,
      );
    }
    pairs.push([item.key, aggregateValue(context, op, column, source)]);
  }
  return jsonObject(pairs);
}

function aggregateFields(
  context: CompileContext,
  table: TableInfo,
  field: CollectedField,
  source: Sql,
  path: string,
): Sql {
  const typeName = `${table.typeName}_aggregate_fields`;
  const pairs: [string, Sql][] = [];
  for (const item of subFields(context, field, typeName, path)) {
    const itemPath = `${path}.selectionSet.${item.key}`;
    if (item.name === '__typename') pairs.push([item.key, literal(typeName)]);
    else if (item.name === 'count')
      pairs.push([item.key, countValue(context, table, item, source, itemPath)]);
    else if (aggregateOps.has(item.name))
      pairs.push([item.key, opObject(context, table, item.name, item, source, itemPath)]);
    else throw validationError(itemPath, `field '${item.name}' not found in type: '${typeName}'`);
  }
  return jsonObject(pairs);
}

/** `<table>_aggregate`: aggregates and nodes over the rows the arguments select. */
export function compileAggregate(
  context: CompileContext,
  table: TableInfo,
  field: CollectedField,
  path: string,
  condition: ((inner: Sql) => Sql) | undefined,
  rows?: Sql,
): Sql {
  const query = listQuery(context, table, field, path, condition, rows);
  const source = context.alias();
  const typeName = `${table.typeName}_aggregate`;
  const pairs: [string, Sql][] = [];
  // Each `nodes` selection (under its own alias) gets its own row JSON column.
  const nodes: Sql[] = [];
  for (const item of subFields(context, field, typeName, path)) {
    const itemPath = `${path}.selectionSet.${item.key}`;
    if (item.name === '__typename') {
      pairs.push([item.key, literal(typeName)]);
    } else if (item.name === 'aggregate') {
      pairs.push([item.key, aggregateFields(context, table, item, source, itemPath)]);
    } else if (item.name === 'nodes') {
      const column = ident(`_j${nodes.length}`);
      const row = rowJson(
        context,
        table,
        query.alias,
        subFields(context, item, table.typeName, itemPath),
        itemPath,
      );
      nodes.push(sql`, ${row} AS ${column}`);
      pairs.push([
        item.key,
        sql`coalesce(json_agg(${source}.${column}${aggOrder(source, query.orderBy)}), '[]'::json)`,
      ]);
    } else {
      throw validationError(itemPath, `field '${item.name}' not found in type: '${typeName}'`);
    }
  }
  const inner = sql`SELECT ${query.distinct}${query.alias}.*${join(nodes, '')}${orderColumns(query.orderBy)} ${query.from}${query.tail}`;
  return sql`(SELECT ${jsonObject(pairs)} FROM (${inner}) AS ${source})`;
}
