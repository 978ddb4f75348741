import { EngineError } from '../errors.js';
import { deleteRule, insertRule, selectRule, updateRule } from '../schema/access.js';
import { jsonbOperators } from '../schema/jsonb-operators.js';
import type { TableInfo } from '../schema/model.js';
import type { TableRootKind } from '../schema/root-field.js';
import { isRecord } from '../util/json.js';
import { type CompileContext, validationError } from './context.js';
import { type CollectedField, checkArguments, fieldArguments, subFields } from './fields.js';
import { compileInsert, readInsertObjects } from './insert.js';
import { jsonObject } from './json-object.js';
import {
  affectedRowsSetting,
  compileNestedInsert,
  insertsThroughRelationships,
} from './nested-insert.js';
import { primaryKeyCondition } from './root-query.js';
import { rowJson } from './select.js';
import { ident, join, literal, raw, type Sql, sql } from './sql.js';
import { compileSetClause } from './update.js';
import { compileBoolExp } from './where.js';

/** A mutation root field as one statement returning `root` (JSON text) and `check_ok`. */
export interface MutationSql {
  sql: Sql;
  checked: boolean;
  /** A second statement that selects the output, for inserts through relationships. */
  followUp?: Sql;
}

const rows = ident('_rows');

const updateArguments = ['_set', '_inc', ...jsonbOperators.map((operator) => operator.name)];

// NOTE: mutation output covers every changed row, without the select permission's row
// filter, because Hasura v2 builds it with an always-true filter (`TablePerm annBoolExpTrue`
// in server/src-lib/Hasura/Backends/Postgres/Translate/Returning.hs). A role whose update or
// delete filter is wider than its select filter therefore receives those rows in the output.
// Column permissions and the filters of nested relationships still apply.

/** Builds the `{affected_rows, returning}` object over the rows of the `_rows` CTE. */
function mutationResponse(
  context: CompileContext,
  table: TableInfo,
  field: CollectedField,
  path: string,
  affected: Sql = sql`(SELECT count(*) FROM ${rows})`,
): Sql {
  const typeName = `${table.typeName}_mutation_response`;
  const pairs: [string, Sql][] = [];
  for (const item of subFields(context, field, typeName, path)) {
    const itemPath = `${path}.selectionSet.${item.key}`;
    if (item.name === '__typename') pairs.push([item.key, literal(typeName)]);
    else if (item.name === 'affected_rows') pairs.push([item.key, affected]);
    else if (item.name === 'returning' && selectRule(table, context.role) !== undefined) {
      const alias = context.alias();
      const row = rowJson(
        context,
        table,
        alias,
        subFields(context, item, table.typeName, itemPath),
        itemPath,
      );
      pairs.push([
        item.key,
        sql`(SELECT coalesce(json_agg(${row}), '[]'::json) FROM ${rows} AS ${alias})`,
      ]);
    } else throw validationError(itemPath, `field '${item.name}' not found in type: '${typeName}'`);
  }
  return jsonObject(pairs);
}

/** Builds the single affected row, or null, for `_one` and `_by_pk` fields. */
function singleRow(
  context: CompileContext,
  table: TableInfo,
  field: CollectedField,
  path: string,
): Sql {
  const alias = context.alias();
  const row = rowJson(context, table, alias, subFields(context, field, table.typeName, path), path);
  return sql`(SELECT ${row} FROM ${rows} AS ${alias} LIMIT 1)`;
}

function finish(
  context: CompileContext,
  table: TableInfo,
  cte: Sql,
  output: Sql,
  check: Record<string, unknown> | undefined,
): MutationSql {
  const alias = context.alias();
  const checkSql =
    check === undefined || Object.keys(check).length === 0
      ? raw('true')
      : sql`(SELECT coalesce(bool_and(${compileBoolExp(context, table, alias, check, '$', 'permission')}), true) FROM ${rows} AS ${alias})`;
  return {
    sql: sql`WITH ${rows} AS (${cte}) SELECT (${output})::text AS "root", ${checkSql} AS "check_ok"`,
    checked: check !== undefined && Object.keys(check).length > 0,
  };
}

function nestedInsert(
  context: CompileContext,
  table: TableInfo,
  field: CollectedField,
  path: string,
  single: boolean,
  request: ReturnType<typeof readInsertObjects>,
): MutationSql {
  if (request.onConflict !== undefined && request.onConflict !== null) {
    // NOTE: Hasura allows on_conflict together with nested objects; this engine does not yet.
    throw new EngineError(
      'not-supported',
      'on_conflict is not supported for inserts through relationships',
      {
        path: `${path}.args.on_conflict`,
        status: 200,
      },
    );
  }
  const { insert, rows: selected } = compileNestedInsert(
    context,
    table,
    request.objects,
    request.paths,
  );
  const affected = sql`current_setting('${raw(affectedRowsSetting)}')::int`;
  const output = single
    ? singleRow(context, table, field, path)
    : mutationResponse(context, table, field, path, affected);
  return {
    sql: insert,
    checked: true,
    followUp: sql`WITH ${rows} AS (${selected}) SELECT (${output})::text AS "root"`,
  };
}

/**
 * Compiles `update_<table>_many` to one statement per update, because one statement cannot
 * change a row twice and each update must see the ones before it.
 */
export function compileUpdateMany(
  context: CompileContext,
  table: TableInfo,
  field: CollectedField,
  path: string,
): MutationSql[] {
  checkArguments(field, ['updates'], path);
  const rule = updateRule(table, context.role);
  if (rule === undefined)
    throw validationError(path, `field '${field.name}' not found in type: 'mutation_root'`);
  const given = context.variables.resolveShallow(fieldArguments(context, field).get('updates'));
  const updates = Array.isArray(given) ? given : [given];
  return updates.map((update, i) => {
    const entryPath = `${path}.args.updates[${i}]`;
    const value = context.variables.resolveShallow(update);
    if (!isRecord(value) || value.where === undefined)
      throw validationError(entryPath, `missing required field 'where'`);
    const args = new Map(Object.entries(value));
    for (const key of args.keys()) {
      if (key !== 'where' && !updateArguments.includes(key)) {
        throw validationError(
          `${entryPath}.${key}`,
          `field '${key}' not found in type: '${table.typeName}_updates'`,
        );
      }
    }
    const alias = context.alias();
    const filters = [
      compileBoolExp(context, table, alias, rule.filter, '$', 'permission'),
      compileBoolExp(context, table, alias, args.get('where'), `${entryPath}.where`, 'request'),
    ];
    const set = compileSetClause(context, table, rule, alias, args, entryPath);
    const target = ident(table.table.schema, table.table.name);
    const cte = sql`UPDATE ${target} AS ${alias} SET ${set} WHERE ${join(filters, ' AND ')} RETURNING ${alias}.*`;
    return finish(context, table, cte, mutationResponse(context, table, field, path), rule.check);
  });
}

/** Compiles an insert, update or delete root field. */
export function compileMutationRoot(
  context: CompileContext,
  kind: Exclude<TableRootKind, 'select' | 'select_by_pk' | 'select_aggregate' | 'update_many'>,
  table: TableInfo,
  field: CollectedField,
  path: string,
): MutationSql {
  const target = ident(table.table.schema, table.table.name);
  const single = kind === 'insert_one' || kind === 'update_by_pk' || kind === 'delete_by_pk';
  const output = () =>
    single ? singleRow(context, table, field, path) : mutationResponse(context, table, field, path);

  if (kind === 'insert' || kind === 'insert_one') {
    const rule = insertRule(table, context.role);
    if (rule === undefined)
      throw validationError(path, `field '${field.name}' not found in type: 'mutation_root'`);
    const request = readInsertObjects(context, field, path, kind === 'insert_one');
    if (insertsThroughRelationships(context, table, request.objects)) {
      return nestedInsert(context, table, field, path, single, request);
    }
    const cte = compileInsert(context, table, rule, field, path, kind === 'insert_one');
    return finish(context, table, cte, output(), rule.check);
  }
  const args = fieldArguments(context, field);
  const alias = context.alias();
  const filters: Sql[] = [];
  if (single) {
    const pkNames = table.shape.primaryKey.map(
      (name) => table.columnsByName.get(name)?.fieldName ?? name,
    );
    if (kind === 'update_by_pk') {
      checkArguments(field, [...updateArguments, 'pk_columns'], path);
      const pk = context.variables.resolveShallow(args.get('pk_columns'));
      const pkArgs = new Map(Object.entries(typeof pk === 'object' && pk !== null ? pk : {}));
      filters.push(primaryKeyCondition(context, table, pkArgs, `${path}.args.pk_columns`)(alias));
    } else {
      checkArguments(field, pkNames, path);
      filters.push(primaryKeyCondition(context, table, args, `${path}.args`)(alias));
    }
  } else {
    checkArguments(field, kind === 'update' ? [...updateArguments, 'where'] : ['where'], path);
    if (!args.has('where')) throw validationError(path, `missing required field 'where'`);
    filters.push(
      compileBoolExp(context, table, alias, args.get('where'), `${path}.args.where`, 'request'),
    );
  }

  if (kind === 'delete' || kind === 'delete_by_pk') {
    const rule = deleteRule(table, context.role);
    if (rule === undefined)
      throw validationError(path, `field '${field.name}' not found in type: 'mutation_root'`);
    filters.unshift(compileBoolExp(context, table, alias, rule.filter, '$', 'permission'));
    const cte = sql`DELETE FROM ${target} AS ${alias} WHERE ${join(filters, ' AND ')} RETURNING ${alias}.*`;
    return finish(context, table, cte, output(), undefined);
  }
  const rule = updateRule(table, context.role);
  if (rule === undefined)
    throw validationError(path, `field '${field.name}' not found in type: 'mutation_root'`);
  filters.unshift(compileBoolExp(context, table, alias, rule.filter, '$', 'permission'));
  const set = compileSetClause(context, table, rule, alias, args, path);
  const cte = sql`UPDATE ${target} AS ${alias} SET ${set} WHERE ${join(filters, ' AND ')} RETURNING ${alias}.*`;
  return finish(context, table, cte, output(), rule.check);
}
