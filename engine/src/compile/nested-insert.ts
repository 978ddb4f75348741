import { EngineError } from '../errors.js';
import { insertRule, visibleRelationships } from '../schema/access.js';
import type { RelationshipInfo, TableInfo } from '../schema/model.js';
import { insertableColumns } from '../schema/mutation-types.js';
import { isRecord } from '../util/json.js';
import { type CompileContext, validationError } from './context.js';
import { castToColumn, columnValueParam } from './params.js';
import { ident, join, raw, type Sql, sql } from './sql.js';
import { compileBoolExp } from './where.js';

/** Setting through which the inserted rows reach the statement that selects the output. */
export const insertedRowsSetting = 'acci.inserted_rows';
/** Setting that carries the number of rows a nested insert inserted, nested rows included. */
export const affectedRowsSetting = 'acci.affected_rows';

interface Chain {
  ctes: Sql[];
  counts: Sql[];
  checks: Sql[];
}

/** Relationships of the table that the role may insert through. */
function insertableRelationships(
  context: CompileContext,
  table: TableInfo,
): Map<string, { relationship: RelationshipInfo; target: TableInfo }> {
  const out = new Map<string, { relationship: RelationshipInfo; target: TableInfo }>();
  for (const entry of visibleRelationships(table, context.role, context.catalog.tables)) {
    if (insertRule(entry.target, context.role) !== undefined)
      out.set(entry.relationship.name, entry);
  }
  return out;
}

/** Returns whether any of the objects inserts through a relationship. */
export function insertsThroughRelationships(
  context: CompileContext,
  table: TableInfo,
  objects: unknown[],
): boolean {
  const names = insertableRelationships(context, table);
  return objects.some((object) => {
    const value = context.variables.resolveShallow(object);
    return isRecord(value) && Object.keys(value).some((key) => names.has(key));
  });
}

function relationshipData(
  context: CompileContext,
  value: unknown,
  path: string,
  kind: 'object' | 'array',
): unknown[] {
  const spec = context.variables.resolveShallow(value);
  if (!isRecord(spec) || spec.data === undefined) {
    throw validationError(path, `missing required field 'data'`);
  }
  if (spec.on_conflict !== undefined && spec.on_conflict !== null) {
    // NOTE: Hasura allows on_conflict on nested objects; this engine does not yet.
    throw new EngineError(
      'not-supported',
      'on_conflict is not supported for inserts through relationships',
      { path: `${path}.on_conflict`, status: 200 },
    );
  }
  const data = context.variables.resolveShallow(spec.data);
  if (kind === 'object') return [data];
  return Array.isArray(data) ? data : [data];
}

/**
 * Adds the CTE that inserts one object, after the CTEs of its object relationships and
 * before those of its array relationships, and returns the CTE's name.
 */
function insertRow(
  context: CompileContext,
  table: TableInfo,
  value: unknown,
  path: string,
  fixed: Map<string, Sql>,
  chain: Chain,
): Sql {
  const rule = insertRule(table, context.role);
  if (rule === undefined)
    throw validationError(path, `no insert permission on table "${table.table.name}"`);
  const object = context.variables.resolveShallow(value);
  if (!isRecord(object))
    throw validationError(path, `expected an object for type '${table.typeName}_insert_input'`);
  const relationships = insertableRelationships(context, table);
  const allowed = insertableColumns(table, context.role);
  const values = new Map<string, Sql>(fixed);
  const children: {
    relationship: RelationshipInfo;
    target: TableInfo;
    data: unknown[];
    path: string;
  }[] = [];

  for (const [key, item] of Object.entries(object)) {
    const related = relationships.get(key);
    if (related !== undefined) {
      const itemPath = `${path}.${key}`;
      const data = relationshipData(context, item, itemPath, related.relationship.kind);
      if (related.relationship.kind === 'array') {
        children.push({ ...related, data, path: `${itemPath}.data` });
        continue;
      }
      const parent = insertRow(
        context,
        related.target,
        data[0],
        `${itemPath}.data`,
        new Map(),
        chain,
      );
      for (const [local, remote] of related.relationship.mapping) {
        if (local in object || values.has(local)) {
          throw validationError(
            itemPath,
            `cannot insert object relationship "${key}" as "${local}" column values are already determined`,
          );
        }
        values.set(local, sql`(SELECT ${ident(remote)} FROM ${parent})`);
      }
      continue;
    }
    const column = allowed.find((entry) => entry.fieldName === key);
    if (column === undefined) {
      throw validationError(
        `${path}.${key}`,
        `field '${key}' not found in type: '${table.typeName}_insert_input'`,
      );
    }
    if (fixed.has(column.name)) {
      throw validationError(
        `${path}.${key}`,
        `cannot insert "${column.name}" columns as their values are already being determined by parent insert`,
      );
    }
    values.set(
      column.name,
      castToColumn(columnValueParam(context, column, item, 'request'), column),
    );
  }
  for (const [name, preset] of Object.entries(rule.set)) {
    const column = table.columnsByName.get(name);
    if (column !== undefined) {
      values.set(
        name,
        castToColumn(columnValueParam(context, column, preset, 'permission'), column),
      );
    }
  }

  const name = ident(`_ins${chain.ctes.length}`);
  const target = ident(table.table.schema, table.table.name);
  const columns = [...values.keys()];
  const body =
    columns.length === 0
      ? sql`INSERT INTO ${target} DEFAULT VALUES RETURNING *, ctid AS "_ctid"`
      : sql`INSERT INTO ${target} (${join(
          columns.map((column) => ident(column)),
          ', ',
        )}) SELECT ${join([...values.values()], ', ')} RETURNING *, ctid AS "_ctid"`;
  chain.ctes.push(sql`${name} AS (${body})`);
  chain.counts.push(sql`(SELECT count(*) FROM ${name})`);
  if (Object.keys(rule.check).length > 0) {
    const alias = context.alias();
    const check = compileBoolExp(context, table, alias, rule.check, '$', 'permission');
    chain.checks.push(sql`(SELECT coalesce(bool_and(${check}), true) FROM ${name} AS ${alias})`);
  }
  for (const child of children) {
    const childFixed = new Map<string, Sql>();
    for (const [local, remote] of child.relationship.mapping)
      childFixed.set(remote, sql`(SELECT ${ident(local)} FROM ${name})`);
    child.data.forEach((item, i) => {
      insertRow(context, child.target, item, `${child.path}[${i}]`, childFixed, chain);
    });
  }
  return name;
}

/**
 * Compiles an insert whose objects insert related rows too. The first statement inserts every
 * row in dependency order and stores the root rows' ids and the row count in settings of the
 * transaction. The output is selected by a second statement, because rows a statement inserts
 * are invisible to that same statement's reads.
 */
export function compileNestedInsert(
  context: CompileContext,
  table: TableInfo,
  objects: unknown[],
  paths: string[],
): { insert: Sql; rows: Sql } {
  const chain: Chain = { ctes: [], counts: [], checks: [] };
  const roots = objects.map((object, i) =>
    insertRow(context, table, object, paths[i] ?? '$', new Map(), chain),
  );
  const ids = join(
    roots.map((root) => sql`(SELECT "_ctid"::text FROM ${root})`),
    ', ',
  );
  const checks = chain.checks.length === 0 ? raw('true') : join(chain.checks, ' AND ');
  const insert = sql`WITH ${join(chain.ctes, ', ')} SELECT ${checks} AS "check_ok",
    set_config('${raw(insertedRowsSetting)}', json_build_array(${ids})::text, true) AS "inserted",
    set_config('${raw(affectedRowsSetting)}', (${join(chain.counts, ' + ')})::text, true) AS "affected"`;
  const target = ident(table.table.schema, table.table.name);
  const rows = sql`SELECT "_t".* FROM json_array_elements_text(current_setting('${raw(insertedRowsSetting)}')::json) WITH ORDINALITY AS "_k"("id", "n") JOIN ${target} AS "_t" ON "_t".ctid = "_k"."id"::tid ORDER BY "_k"."n"`;
  return { insert, rows };
}
