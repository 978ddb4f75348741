import { CompileContext } from '../../compile/context.js';
import { castToColumn } from '../../compile/params.js';
import { columnValue } from '../../compile/select.js';
import { ident, join, raw, render, type Sql, sql } from '../../compile/sql.js';
import { compileBoolExp } from '../../compile/where.js';
import { tableKey } from '../../database/introspect.js';
import { EngineError } from '../../errors.js';
import { resolveParams } from '../../execute/params.js';
import { fromPostgresError } from '../../execute/pg-errors.js';
import type { TableInfo } from '../../schema/model.js';
import { qualify } from '../../schema/resolve.js';
import { isRecord, type JsonObject } from '../../util/json.js';
import { type Operation, type OperationContext, parseFailed } from './context.js';

/** Looks up the table of a v1 DML query, which always runs as admin. */
function target(
  context: OperationContext,
  args: JsonObject,
): { table: TableInfo; compile: CompileContext } {
  const name = args.table;
  if (name === undefined) throw parseFailed('key "table" not found');
  const key = tableKey(qualify(name as string));
  const table = context.state.catalog.tables.get(key);
  if (table === undefined)
    throw new EngineError('not-exists', `table "${key}" does not exist`, { path: '$.args.table' });
  const compile = new CompileContext(
    context.state.catalog,
    'admin',
    context.state.config.stringifyNumericTypes,
    {},
    new Map(),
  );
  return { table, compile };
}

async function run(context: OperationContext, statement: Sql): Promise<unknown> {
  const rendered = render(statement);
  const values = resolveParams(
    rendered.params,
    { role: 'admin', variables: { 'x-hasura-role': 'admin' } },
    {},
  );
  try {
    const result = await context.state.pool.query<{ result: unknown }>(rendered.text, values);
    return result.rows[0]?.result;
  } catch (error) {
    const mapped = fromPostgresError(error);
    throw new EngineError(mapped.code, mapped.message, { path: '$.args', cause: error });
  }
}

function returningJson(
  compile: CompileContext,
  table: TableInfo,
  columns: unknown,
  alias: Sql,
): Sql {
  const names = Array.isArray(columns)
    ? columns.filter((item): item is string => typeof item === 'string')
    : [];
  const selected = names.includes('*')
    ? table.columns
    : table.columns.filter((column) => names.includes(column.name));
  const pairs = selected.map(
    (column) =>
      sql`${raw(`'${column.name.replaceAll("'", "''")}'`)}, ${columnValue(compile, column, alias)}`,
  );
  return sql`json_build_object(${join(pairs, ', ')})`;
}

function mutationResult(
  compile: CompileContext,
  table: TableInfo,
  args: JsonObject,
  cte: Sql,
): Sql {
  const alias = compile.alias();
  const parts = [sql`'affected_rows', (SELECT count(*) FROM "_rows")`];
  if (Array.isArray(args.returning)) {
    parts.push(
      sql`'returning', (SELECT coalesce(json_agg(${returningJson(compile, table, args.returning, alias)}), '[]'::json) FROM "_rows" AS ${alias})`,
    );
  }
  return sql`WITH "_rows" AS (${cte}) SELECT json_build_object(${join(parts, ', ')}) AS result`;
}

function valueSql(table: TableInfo, name: string, value: unknown): Sql {
  const column = table.columnsByName.get(name);
  if (column === undefined)
    throw new EngineError('not-exists', `no such column exists: "${name}"`, {
      path: '$.args.objects',
    });
  const isJson = column.baseType === 'json' || column.baseType === 'jsonb';
  const plain =
    value !== null && typeof value === 'object' && (isJson || !Array.isArray(value))
      ? JSON.stringify(value)
      : value;
  return castToColumn({ kind: 'value', value: plain ?? null }, column);
}

const insert: Operation = async (context, args) => {
  const { table, compile } = target(context, args);
  const objects = Array.isArray(args.objects) ? args.objects.filter(isRecord) : [];
  let affected = 0;
  const returning: unknown[] = [];
  for (const object of objects) {
    const names = Object.keys(object);
    const into = ident(table.table.schema, table.table.name);
    const columns =
      names.length === 0
        ? raw('DEFAULT VALUES')
        : sql`(${join(
            names.map((name) => ident(name)),
            ', ',
          )}) VALUES (${join(
            names.map((name) => valueSql(table, name, object[name])),
            ', ',
          )})`;
    const result = (await run(
      context,
      mutationResult(compile, table, args, sql`INSERT INTO ${into} ${columns} RETURNING *`),
    )) as { affected_rows: number; returning?: unknown[] };
    affected += result.affected_rows;
    returning.push(...(result.returning ?? []));
  }
  return Array.isArray(args.returning)
    ? { affected_rows: affected, returning }
    : { affected_rows: affected };
};

const remove: Operation = async (context, args) => {
  const { table, compile } = target(context, args);
  const alias = compile.alias();
  const where = compileBoolExp(
    compile,
    table,
    alias,
    args.where ?? {},
    '$.args.where',
    'permission',
  );
  const cte = sql`DELETE FROM ${ident(table.table.schema, table.table.name)} AS ${alias} WHERE ${where} RETURNING ${alias}.*`;
  return run(context, mutationResult(compile, table, args, cte));
};

const update: Operation = async (context, args) => {
  const { table, compile } = target(context, args);
  const alias = compile.alias();
  const where = compileBoolExp(
    compile,
    table,
    alias,
    args.where ?? {},
    '$.args.where',
    'permission',
  );
  const changes: Sql[] = [];
  for (const [name, value] of Object.entries(isRecord(args.$set) ? args.$set : {})) {
    changes.push(sql`${ident(name)} = ${valueSql(table, name, value)}`);
  }
  for (const [name, value] of Object.entries(isRecord(args.$inc) ? args.$inc : {})) {
    changes.push(sql`${ident(name)} = ${ident(name)} + ${valueSql(table, name, value)}`);
  }
  if (changes.length === 0)
    throw parseFailed('atleast one of $set, $inc, $mul, $default_columns is expected');
  const cte = sql`UPDATE ${ident(table.table.schema, table.table.name)} AS ${alias} SET ${join(changes, ', ')} WHERE ${where} RETURNING ${alias}.*`;
  return run(context, mutationResult(compile, table, args, cte));
};

const count: Operation = async (context, args) => {
  const { table, compile } = target(context, args);
  const alias = compile.alias();
  const where = compileBoolExp(
    compile,
    table,
    alias,
    args.where ?? {},
    '$.args.where',
    'permission',
  );
  const statement = sql`SELECT json_build_object('count', count(*)) AS result FROM ${ident(table.table.schema, table.table.name)} AS ${alias} WHERE ${where}`;
  return run(context, statement);
};

const select: Operation = async (context, args) => {
  const { table, compile } = target(context, args);
  const alias = compile.alias();
  const where = compileBoolExp(
    compile,
    table,
    alias,
    args.where ?? {},
    '$.args.where',
    'permission',
  );
  const limit =
    typeof args.limit === 'number'
      ? sql` LIMIT ${raw(String(Math.max(0, Math.floor(args.limit))))}`
      : raw('');
  const offset =
    typeof args.offset === 'number'
      ? sql` OFFSET ${raw(String(Math.max(0, Math.floor(args.offset))))}`
      : raw('');
  const row = returningJson(compile, table, args.columns ?? ['*'], alias);
  const inner = sql`SELECT ${row} AS "_j" FROM ${ident(table.table.schema, table.table.name)} AS ${alias} WHERE ${where}${limit}${offset}`;
  return run(
    context,
    sql`SELECT coalesce(json_agg("_s"."_j"), '[]'::json) AS result FROM (${inner}) AS "_s"`,
  );
};

export const dmlOperations: Record<string, Operation> = {
  insert,
  select,
  update,
  delete: remove,
  count,
};
