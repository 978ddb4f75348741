import { tableKey } from '../database/introspect.js';
import { selectableColumns, selectRule, visibleRelationships } from '../schema/access.js';
import { allTextOperators, binaryOperators, operatorsFor } from '../schema/comparison.js';
import type { ColumnField, RelationshipInfo, TableInfo } from '../schema/model.js';
import { qualify } from '../schema/resolve.js';
import { scalarName } from '../schema/scalars.js';
import { isRecord } from '../util/json.js';
import { type CompileContext, validationError } from './context.js';
import { operandParam } from './params.js';
import { ident, join, raw, type Sql, sql } from './sql.js';

/**
 * Source of a boolean expression. Request filters name columns by their GraphQL names and
 * see only what the role may read. Permission filters name columns as in the database, and
 * they may read session variables and use `_exists`.
 */
export type FilterOrigin = 'request' | 'permission';

/** A column comparison with another column of the same row, allowed in permission filters. */
const columnOperators: Record<string, string> = {
  _ceq: '=',
  _cne: '<>',
  _cneq: '<>',
  _cgt: '>',
  _clt: '<',
  _cgte: '>=',
  _clte: '<=',
};

/**
 * Returns the column a `_ceq`-style operator compares with. A plain name is a column of the
 * same row, and `["$", column]` is a column of the table the permission belongs to.
 */
function otherColumn(context: CompileContext, alias: Sql, operand: unknown): Sql {
  if (Array.isArray(operand)) {
    const root = operand[0] === '$' ? (context.permissionRoot ?? alias) : alias;
    return sql`${root}.${ident(String(operand.at(-1)))}`;
  }
  return sql`${alias}.${ident(String(operand))}`;
}

function joinCondition(outer: Sql, inner: Sql, relationship: RelationshipInfo): Sql {
  const pairs = relationship.mapping.map(
    ([local, remote]) => sql`${outer}.${ident(local)} = ${inner}.${ident(remote)}`,
  );
  return join(pairs, ' AND ');
}

/** Compiles the role's select filter on a table to SQL over the row `alias`. */
export function permissionFilter(context: CompileContext, table: TableInfo, alias: Sql): Sql {
  const rule = selectRule(table, context.role);
  if (rule === undefined) return raw('false');
  return compileBoolExp(context, table, alias, rule.filter, '$', 'permission');
}

/** Compiles a Hasura boolean expression over the row `alias` of `table`. */
export function compileBoolExp(
  context: CompileContext,
  table: TableInfo,
  alias: Sql,
  expression: unknown,
  path: string,
  origin: FilterOrigin,
): Sql {
  const value = origin === 'request' ? context.variables.resolveShallow(expression) : expression;
  if (value === null || value === undefined) {
    throw validationError(
      path,
      `expected an object for type '${table.typeName}_bool_exp', but found null`,
    );
  }
  if (!isRecord(value)) {
    throw validationError(
      path,
      `expected an object for type '${table.typeName}_bool_exp', but found a ${typeof value}`,
    );
  }
  const isRoot = origin === 'permission' && path === '$';
  const outerRoot = context.permissionRoot;
  if (isRoot) context.permissionRoot = alias;
  const parts: Sql[] = [];
  try {
    for (const [key, item] of Object.entries(value)) {
      parts.push(compileEntry(context, table, alias, key, item, `${path}.${key}`, origin));
    }
  } finally {
    if (isRoot) context.permissionRoot = outerRoot;
  }
  return parts.length === 0 ? raw('true') : sql`(${join(parts, ' AND ')})`;
}

function listOf(context: CompileContext, value: unknown, origin: FilterOrigin): unknown[] {
  const resolved = origin === 'request' ? context.variables.resolveShallow(value) : value;
  if (Array.isArray(resolved)) return resolved;
  return resolved === null || resolved === undefined ? [] : [resolved];
}

/** Spellings Hasura still accepts for the boolean operators in permission filters. */
const legacyOperators: Record<string, string> = { $and: '_and', $or: '_or', $not: '_not' };

function compileEntry(
  context: CompileContext,
  table: TableInfo,
  alias: Sql,
  spelled: string,
  item: unknown,
  path: string,
  origin: FilterOrigin,
): Sql {
  const key = origin === 'permission' ? (legacyOperators[spelled] ?? spelled) : spelled;
  if (key === '_and' || key === '_or') {
    const items = listOf(context, item, origin).map((entry, i) =>
      compileBoolExp(context, table, alias, entry, `${path}[${i}]`, origin),
    );
    if (items.length === 0) return raw(key === '_and' ? 'true' : 'false');
    return sql`(${join(items, key === '_and' ? ' AND ' : ' OR ')})`;
  }
  if (key === '_not') return sql`NOT ${compileBoolExp(context, table, alias, item, path, origin)}`;
  if (key === '_exists' && origin === 'permission') return compileExists(context, item, path);

  const column = findColumn(context, table, key, origin);
  if (column !== undefined)
    return compileComparison(context, table, alias, column, item, path, origin);

  const relationship = findRelationship(context, table, key, origin);
  if (relationship === undefined) {
    throw validationError(path, `field '${key}' not found in type: '${table.typeName}_bool_exp'`);
  }
  const target = context.table(relationship.target);
  const inner = context.alias();
  const conditions = [joinCondition(alias, inner, relationship)];
  if (origin === 'request') conditions.push(permissionFilter(context, target, inner));
  conditions.push(compileBoolExp(context, target, inner, item, path, origin));
  return sql`EXISTS (SELECT 1 FROM ${ident(target.table.schema, target.table.name)} AS ${inner} WHERE ${join(conditions, ' AND ')})`;
}

function findColumn(
  context: CompileContext,
  table: TableInfo,
  key: string,
  origin: FilterOrigin,
): ColumnField | undefined {
  if (origin === 'permission') return table.columnsByName.get(key);
  return selectableColumns(table, context.role).find((column) => column.fieldName === key);
}

function findRelationship(
  context: CompileContext,
  table: TableInfo,
  key: string,
  origin: FilterOrigin,
): RelationshipInfo | undefined {
  if (origin === 'permission') return table.relationships.find((item) => item.name === key);
  return visibleRelationships(table, context.role, context.catalog.tables).find(
    (item) => item.relationship.name === key,
  )?.relationship;
}

function compileExists(context: CompileContext, item: unknown, path: string): Sql {
  if (!isRecord(item) || item._table === undefined) {
    throw validationError(path, '"_exists" needs "_table" and "_where"');
  }
  const target = context.catalog.tables.get(
    tableKey(qualify(item._table as { schema: string; name: string })),
  );
  if (target === undefined)
    throw validationError(`${path}._table`, 'the table of "_exists" is not tracked');
  const inner = context.alias();
  const where = compileBoolExp(
    context,
    target,
    inner,
    item._where ?? {},
    `${path}._where`,
    'permission',
  );
  return sql`EXISTS (SELECT 1 FROM ${ident(target.table.schema, target.table.name)} AS ${inner} WHERE ${where})`;
}

function compileComparison(
  context: CompileContext,
  table: TableInfo,
  alias: Sql,
  column: ColumnField,
  item: unknown,
  path: string,
  origin: FilterOrigin,
): Sql {
  const scalar = scalarName(column);
  const typeName = column.isArray ? `${scalar}_array_comparison_exp` : `${scalar}_comparison_exp`;
  let value = origin === 'request' ? context.variables.resolveShallow(item) : item;
  // Permission filters may compare a column with a plain value, which means `_eq`.
  if (origin === 'permission' && !isRecord(value)) value = { _eq: value };
  if (!isRecord(value)) {
    throw validationError(
      path,
      `expected an object for type '${typeName}', but found ${value === null ? 'null' : `a ${typeof value}`}`,
    );
  }
  const allowed = operatorsFor(scalar, column.isArray);
  const target = sql`${alias}.${ident(column.name)}`;
  const parts: Sql[] = [];
  for (const [spelled, operand] of Object.entries(value)) {
    // Permission filters may still spell operators as `$eq`, `$in` and so on.
    const operator =
      origin === 'permission' && spelled.startsWith('$') ? `_${spelled.slice(1)}` : spelled;
    const operandPath = `${path}.${operator}`;
    const columnOperator = origin === 'permission' ? columnOperators[operator] : undefined;
    if (columnOperator !== undefined) {
      parts.push(sql`${target} ${raw(columnOperator)} ${otherColumn(context, alias, operand)}`);
      continue;
    }
    if (!allowed.includes(operator) && !(origin === 'permission' && operator in binaryOperators)) {
      throw validationError(operandPath, `field '${operator}' not found in type: '${typeName}'`);
    }
    parts.push(
      compileOperator(context, table, column, target, operator, operand, operandPath, origin),
    );
  }
  return parts.length === 0 ? raw('true') : join(parts, ' AND ');
}

function compileOperator(
  context: CompileContext,
  table: TableInfo,
  column: ColumnField,
  target: Sql,
  operator: string,
  operand: unknown,
  path: string,
  origin: FilterOrigin,
): Sql {
  void table;
  const cast = raw(column.sqlType);
  if (operator === '_is_null') {
    const flag = origin === 'request' ? context.variables.resolve(operand) : operand;
    if (flag === null || flag === undefined)
      throw validationError(path, "unexpected null value for type 'Boolean'");
    return flag === true ? sql`${target} IS NULL` : sql`${target} IS NOT NULL`;
  }
  if (operator === '_in' || operator === '_nin') {
    const list = operandParam(context, column, operand, path, origin, 'list');
    const test = sql`${target} = ANY(${list}::${cast}[])`;
    return operator === '_in' ? sql`coalesce(${test}, false)` : sql`NOT coalesce(${test}, false)`;
  }
  if (operator === '_has_keys_any' || operator === '_has_keys_all') {
    const keys = operandParam(context, column, operand, path, origin, 'list');
    return sql`${target} ${raw(operator === '_has_keys_any' ? '?|' : '?&')} ${keys}::text[]`;
  }
  const shape = operator === '_has_key' ? 'text' : 'single';
  const param = operandParam(context, column, operand, path, origin, shape);
  const sqlOperator = binaryOperators[operator] ?? '=';
  const operandType =
    operator === '_has_key' ? raw('text') : allTextOperators.has(operator) ? raw('text') : cast;
  const left =
    allTextOperators.has(operator) &&
    !['text', 'varchar', 'citext', 'bpchar', 'name'].includes(column.baseType)
      ? sql`${target}::text`
      : target;
  return sql`${left} ${raw(sqlOperator)} ${param}::${operandType}`;
}
