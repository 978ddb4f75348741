import { selectableColumns, visibleRelationships } from '../schema/access.js';
import type { TableInfo } from '../schema/model.js';
import { orderAggregates, orderDirections } from '../schema/order-by.js';
import { isRecord } from '../util/json.js';
import { type CompileContext, validationError } from './context.js';
import { ident, join, raw, type Sql, sql } from './sql.js';
import { permissionFilter } from './where.js';

/** One ORDER BY term: the expression and its direction. */
export interface OrderTerm {
  expression: Sql;
  direction: Sql;
  /** The column when the term orders by a plain column of the table, for `distinct_on`. */
  column: string | undefined;
}

function direction(value: unknown, path: string): Sql {
  const text = typeof value === 'string' ? orderDirections[value] : undefined;
  if (text === undefined) {
    throw validationError(
      path,
      `expected one of the values ${JSON.stringify(Object.keys(orderDirections))} for type 'order_by', but found ${JSON.stringify(value)}`,
    );
  }
  return raw(text);
}

/** Compiles an `order_by` argument (one object or a list) into ORDER BY terms over `alias`. */
export function compileOrderBy(
  context: CompileContext,
  table: TableInfo,
  alias: Sql,
  value: unknown,
  path: string,
): OrderTerm[] {
  const resolved = context.variables.resolve(value);
  const items = Array.isArray(resolved)
    ? resolved
    : resolved === null || resolved === undefined
      ? []
      : [resolved];
  const terms: OrderTerm[] = [];
  items.forEach((item, index) => {
    const itemPath = Array.isArray(resolved) ? `${path}[${index}]` : path;
    terms.push(...orderTerms(context, table, alias, item, itemPath));
  });
  return terms;
}

function orderTerms(
  context: CompileContext,
  table: TableInfo,
  alias: Sql,
  item: unknown,
  path: string,
): OrderTerm[] {
  if (!isRecord(item)) {
    throw validationError(
      path,
      `expected an object for type '${table.typeName}_order_by', but found ${JSON.stringify(item)}`,
    );
  }
  const terms: OrderTerm[] = [];
  for (const [key, value] of Object.entries(item)) {
    const keyPath = `${path}.${key}`;
    if (value === null || value === undefined) continue;
    const column = selectableColumns(table, context.role).find((entry) => entry.fieldName === key);
    if (column !== undefined) {
      terms.push({
        expression: sql`${alias}.${ident(column.name)}`,
        direction: direction(value, keyPath),
        column: column.name,
      });
      continue;
    }
    const related = visibleRelationships(table, context.role, context.catalog.tables);
    const objectRel = related.find(
      (entry) => entry.relationship.kind === 'object' && entry.relationship.name === key,
    );
    if (objectRel !== undefined) {
      const inner = context.alias();
      const nested = orderTerms(context, objectRel.target, inner, value, keyPath);
      const from = sql`FROM ${ident(objectRel.target.table.schema, objectRel.target.table.name)} AS ${inner} WHERE ${relationJoin(alias, inner, objectRel.relationship.mapping)} AND ${permissionFilter(context, objectRel.target, inner)}`;
      for (const term of nested) {
        terms.push({
          expression: sql`(SELECT ${term.expression} ${from} LIMIT 1)`,
          direction: term.direction,
          column: undefined,
        });
      }
      continue;
    }
    const arrayRel = related.find(
      (entry) =>
        entry.relationship.kind === 'array' && `${entry.relationship.name}_aggregate` === key,
    );
    if (arrayRel === undefined) {
      throw validationError(
        keyPath,
        `field '${key}' not found in type: '${table.typeName}_order_by'`,
      );
    }
    const inner = context.alias();
    const from = sql`FROM ${ident(arrayRel.target.table.schema, arrayRel.target.table.name)} AS ${inner} WHERE ${relationJoin(alias, inner, arrayRel.relationship.mapping)} AND ${permissionFilter(context, arrayRel.target, inner)}`;
    terms.push(...aggregateTerms(context, arrayRel.target, inner, from, value, keyPath));
  }
  return terms;
}

function aggregateTerms(
  context: CompileContext,
  table: TableInfo,
  inner: Sql,
  from: Sql,
  value: unknown,
  path: string,
): OrderTerm[] {
  if (!isRecord(value))
    throw validationError(
      path,
      `expected an object for type '${table.typeName}_aggregate_order_by'`,
    );
  const terms: OrderTerm[] = [];
  for (const [op, spec] of Object.entries(value)) {
    if (op === 'count') {
      terms.push({
        expression: sql`(SELECT count(*) ${from})`,
        direction: direction(spec, `${path}.count`),
        column: undefined,
      });
      continue;
    }
    if (!(orderAggregates as readonly string[]).includes(op) || !isRecord(spec)) {
      throw validationError(
        `${path}.${op}`,
        `field '${op}' not found in type: '${table.typeName}_aggregate_order_by'`,
      );
    }
    for (const [field, dir] of Object.entries(spec)) {
      const column = selectableColumns(table, context.role).find(
        (entry) => entry.fieldName === field,
      );
      if (column === undefined) {
        throw validationError(
          `${path}.${op}.${field}`,
          `field '${field}' not found in type: '${table.typeName}_${op}_order_by'`,
        );
      }
      terms.push({
        expression: sql`(SELECT ${raw(op)}(${inner}.${ident(column.name)}) ${from})`,
        direction: direction(dir, `${path}.${op}.${field}`),
        column: undefined,
      });
    }
  }
  return terms;
}

export function relationJoin(outer: Sql, inner: Sql, mapping: [string, string][]): Sql {
  return join(
    mapping.map(([local, remote]) => sql`${outer}.${ident(local)} = ${inner}.${ident(remote)}`),
    ' AND ',
  );
}
