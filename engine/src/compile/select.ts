import {
  selectableColumns,
  selectableComputedFields,
  selectRule,
  visibleRelationships,
} from '../schema/access.js';
import type { ColumnField, ComputedFieldInfo, TableInfo } from '../schema/model.js';
import { scalarName, stringifiedScalars } from '../schema/scalars.js';
import { compileAggregate } from './aggregate.js';
import { computedFieldCall, computedFieldInputs } from './computed-field.js';
import { type CompileContext, validationError } from './context.js';
import { type CollectedField, checkArguments, fieldArguments, subFields } from './fields.js';
import { jsonObject } from './json-object.js';
import { compileJsonPath } from './json-path.js';
import { compileOrderBy, relationJoin } from './order-by.js';
import { ident, join, literal, raw, type Sql, sql } from './sql.js';
import { compileBoolExp, permissionFilter } from './where.js';

export const listArguments = ['distinct_on', 'limit', 'offset', 'order_by', 'where'];

/** Returns a column's value for JSON output, as text for big numeric types when configured. */
export function columnValue(context: CompileContext, column: ColumnField, alias: Sql): Sql {
  const value = sql`${alias}.${ident(column.name)}`;
  if (!column.isArray && (column.baseType === 'geometry' || column.baseType === 'geography')) {
    // Hasura's GeoJSON: up to 15 decimal digits and the long CRS form (option 4).
    return sql`ST_AsGeoJSON(${value}, 15, 4)::json`;
  }
  if (context.stringifyNumeric && !column.isArray && stringifiedScalars.has(scalarName(column))) {
    return sql`(${value})::text`;
  }
  return value;
}

/** Builds the JSON object for the row `alias` of `table`, with the selected fields in order. */
export function rowJson(
  context: CompileContext,
  table: TableInfo,
  alias: Sql,
  fields: CollectedField[],
  path: string,
): Sql {
  const pairs: [string, Sql][] = [];
  const columns = selectableColumns(table, context.role);
  const related = visibleRelationships(table, context.role, context.catalog.tables);
  for (const field of fields) {
    const fieldPath = `${path}.selectionSet.${field.key}`;
    if (field.name === '__typename') {
      pairs.push([field.key, literal(table.typeName)]);
      continue;
    }
    const column = columns.find((entry) => entry.fieldName === field.name);
    if (column !== undefined) {
      pairs.push([field.key, columnField(context, column, alias, field, fieldPath)]);
      continue;
    }
    const relationship = related.find((entry) => entry.relationship.name === field.name);
    if (relationship !== undefined) {
      const { target } = relationship;
      const joinOn = (inner: Sql) => relationJoin(alias, inner, relationship.relationship.mapping);
      if (relationship.relationship.kind === 'object') {
        checkArguments(field, [], fieldPath);
        pairs.push([field.key, objectJson(context, target, field, fieldPath, joinOn)]);
      } else {
        pairs.push([field.key, listJson(context, target, field, fieldPath, joinOn)]);
      }
      continue;
    }
    const aggregate = related.find(
      (entry) =>
        entry.relationship.kind === 'array' &&
        `${entry.relationship.name}_aggregate` === field.name,
    );
    if (aggregate !== undefined && selectRule(aggregate.target, context.role)?.allowAggregations) {
      const joinOn = (inner: Sql) => relationJoin(alias, inner, aggregate.relationship.mapping);
      pairs.push([
        field.key,
        compileAggregate(context, aggregate.target, field, fieldPath, joinOn),
      ]);
      continue;
    }
    const computed = selectableComputedFields(table, context.role, context.catalog.tables).find(
      (entry) => entry.name === field.name,
    );
    if (computed !== undefined) {
      pairs.push([field.key, computedValue(context, table, computed, alias, field, fieldPath)]);
      continue;
    }
    throw validationError(
      fieldPath,
      `field '${field.name}' not found in type: '${table.typeName}'`,
    );
  }
  return jsonObject(pairs);
}

function columnField(
  context: CompileContext,
  column: ColumnField,
  alias: Sql,
  field: CollectedField,
  path: string,
): Sql {
  const isJson = column.baseType === 'json' || column.baseType === 'jsonb';
  checkArguments(field, isJson ? ['path'] : [], path);
  if (field.nodes.some((node) => node.selectionSet !== undefined)) {
    throw validationError(
      path,
      `field '${field.name}' of type '${scalarName(column)}' must not have a selection since type is a scalar`,
    );
  }
  const pathArg = isJson
    ? context.variables.resolve(fieldArguments(context, field).get('path'))
    : undefined;
  if (typeof pathArg === 'string')
    return compileJsonPath(sql`${alias}.${ident(column.name)}`, pathArg, `${path}.args.path`);
  return columnValue(context, column, alias);
}

/** The value of a computed field: a scalar, or the rows its function returns. */
function computedValue(
  context: CompileContext,
  table: TableInfo,
  computed: ComputedFieldInfo,
  alias: Sql,
  field: CollectedField,
  path: string,
): Sql {
  const inputs = computedFieldInputs(context, computed, field, path);
  const call = computedFieldCall(table, computed, alias, inputs);
  if (computed.target !== undefined) {
    return listJson(context, context.table(computed.target), field, path, undefined, call);
  }
  checkArguments(field, computed.inputArguments.length > 0 ? ['args'] : [], path);
  const scalar = computed.scalar;
  if (
    scalar !== undefined &&
    context.stringifyNumeric &&
    !scalar.isArray &&
    stringifiedScalars.has(scalarName(scalar))
  ) {
    return sql`(${call})::text`;
  }
  return call;
}

/** Builds one object or null, for an object relationship or a `_by_pk` lookup. */
export function objectJson(
  context: CompileContext,
  table: TableInfo,
  field: CollectedField,
  path: string,
  condition: (inner: Sql) => Sql,
): Sql {
  const inner = context.alias();
  const row = rowJson(context, table, inner, subFields(context, field, table.typeName, path), path);
  const where = join([condition(inner), permissionFilter(context, table, inner)], ' AND ');
  return sql`(SELECT ${row} FROM ${ident(table.table.schema, table.table.name)} AS ${inner} WHERE ${where} LIMIT 1)`;
}

/** The FROM, WHERE, ORDER BY, LIMIT and OFFSET of a list selection, shared with aggregates. */
export interface ListQuery {
  alias: Sql;
  from: Sql;
  orderBy: { expression: Sql; direction: Sql }[];
  tail: Sql;
  distinct: Sql;
}

function nonNegativeInt(value: unknown, path: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2147483647) {
    const kind =
      typeof value === 'number'
        ? Number.isInteger(value)
          ? 'an integer'
          : 'a float'
        : `a ${typeof value}`;
    throw validationError(
      path,
      `expected a non-negative 32-bit integer for type 'Int', but found ${kind}`,
    );
  }
  return value;
}

/** Builds the row source of a list or aggregate selection from its arguments. */
export function listQuery(
  context: CompileContext,
  table: TableInfo,
  field: CollectedField,
  path: string,
  condition: ((inner: Sql) => Sql) | undefined,
  source?: Sql,
): ListQuery {
  // Only computed fields pass their own rows, and they also take the function's `args`.
  checkArguments(field, source === undefined ? listArguments : [...listArguments, 'args'], path);
  const args = fieldArguments(context, field);
  const rule = selectRule(table, context.role);
  const alias = context.alias();
  const conditions = condition === undefined ? [] : [condition(alias)];
  conditions.push(permissionFilter(context, table, alias));
  if (args.has('where')) {
    const where = context.variables.resolveShallow(args.get('where'));
    if (where !== null && where !== undefined) {
      conditions.push(
        compileBoolExp(context, table, alias, where, `${path}.args.where`, 'request'),
      );
    }
  }
  const orderBy = args.has('order_by')
    ? compileOrderBy(context, table, alias, args.get('order_by'), `${path}.args.order_by`)
    : [];
  const distinctColumns = distinctOn(
    context,
    table,
    args.get('distinct_on'),
    `${path}.args.distinct_on`,
  );
  if (distinctColumns.length > 0) {
    const prefix = orderBy.slice(0, distinctColumns.length).map((term) => term.column);
    if (
      orderBy.length > 0 &&
      !(
        prefix.length === distinctColumns.length &&
        prefix.every((name) => name !== undefined && distinctColumns.includes(name))
      )
    ) {
      throw validationError(
        `${path}.args`,
        '"distinct_on" columns must match initial "order_by" columns',
      );
    }
  }
  let limit = nonNegativeInt(context.variables.resolve(args.get('limit')), `${path}.args.limit`);
  if (rule?.limit !== undefined)
    limit = limit === undefined ? rule.limit : Math.min(limit, rule.limit);
  // Hasura also takes the offset as a string of digits, a leftover of its bigint offsets.
  const rawOffset = context.variables.resolve(args.get('offset'));
  const offsetValue =
    typeof rawOffset === 'string' && /^\d+$/.test(rawOffset) ? Number(rawOffset) : rawOffset;
  const offset = nonNegativeInt(offsetValue, `${path}.args.offset`);

  const order =
    orderBy.length === 0
      ? raw('')
      : sql` ORDER BY ${join(
          orderBy.map((term) => sql`${term.expression} ${term.direction}`),
          ', ',
        )}`;
  const tail = sql`${order}${limit === undefined ? raw('') : sql` LIMIT ${raw(String(limit))}`}${offset === undefined ? raw('') : sql` OFFSET ${raw(String(offset))}`}`;
  const distinct =
    distinctColumns.length === 0
      ? raw('')
      : sql`DISTINCT ON (${join(
          distinctColumns.map((name) => sql`${alias}.${ident(name)}`),
          ', ',
        )}) `;
  return {
    alias,
    from: sql`FROM ${source ?? ident(table.table.schema, table.table.name)} AS ${alias} WHERE ${join(conditions, ' AND ')}`,
    orderBy,
    tail,
    distinct,
  };
}

function distinctOn(
  context: CompileContext,
  table: TableInfo,
  value: unknown,
  path: string,
): string[] {
  const resolved = context.variables.resolve(value);
  if (resolved === null || resolved === undefined) return [];
  const items = Array.isArray(resolved) ? resolved : [resolved];
  const columns = selectableColumns(table, context.role);
  return items.map((item) => {
    const column = columns.find((entry) => entry.fieldName === item || entry.name === item);
    if (column === undefined) {
      throw validationError(
        path,
        `expected one of the values ${JSON.stringify(columns.map((entry) => entry.fieldName))} for type '${table.typeName}_select_column', but found ${JSON.stringify(item)}`,
      );
    }
    return column.name;
  });
}

/** Ordering of `json_agg` over the aliased order columns of a list subquery. */
export function aggOrder(source: Sql, orderBy: ListQuery['orderBy']): Sql {
  if (orderBy.length === 0) return raw('');
  return sql` ORDER BY ${join(
    orderBy.map((term, i) => sql`${source}.${ident(`_o${i}`)} ${term.direction}`),
    ', ',
  )}`;
}

export function orderColumns(orderBy: ListQuery['orderBy']): Sql {
  return join(
    orderBy.map((term, i) => sql`, ${term.expression} AS ${ident(`_o${i}`)}`),
    '',
  );
}

/** Builds a JSON array of rows, for a list root field or an array relationship. */
export function listJson(
  context: CompileContext,
  table: TableInfo,
  field: CollectedField,
  path: string,
  condition: ((inner: Sql) => Sql) | undefined,
  rows?: Sql,
): Sql {
  const query = listQuery(context, table, field, path, condition, rows);
  const row = rowJson(
    context,
    table,
    query.alias,
    subFields(context, field, table.typeName, path),
    path,
  );
  const source = context.alias();
  const inner = sql`SELECT ${query.distinct}${row} AS "_j"${orderColumns(query.orderBy)} ${query.from}${query.tail}`;
  return sql`(SELECT coalesce(json_agg(${source}."_j"${aggOrder(source, query.orderBy)}), '[]'::json) FROM (${inner}) AS ${source})`;
}
