import { ident, join, literal, raw, render, type Sql, sql } from '../compile/sql.js';
import type { ColumnInfo } from '../database/introspect.js';
import type {
  EventTriggerDef,
  OperationSpec,
  SubscribeColumns,
  TriggerOperation,
} from './definition.js';

/** Name of the SQL trigger and of its function in `hdb_catalog`, as Hasura names them. */
export function triggerFunctionName(trigger: string, op: TriggerOperation): string {
  return `notify_hasura_${trigger}_${op}`;
}

/** Types that Hasura sends as strings when numeric types are stringified. */
const bigNumberTypes = new Set(['int8', 'numeric', 'float8', 'money']);
const geoTypes = new Set(['geometry', 'geography']);

function pick(columns: SubscribeColumns | undefined, all: ColumnInfo[]): ColumnInfo[] {
  if (columns === undefined || columns === '*') return all;
  return columns.flatMap((name) => all.filter((column) => column.name === name));
}

/** `OLD."col"` or `NEW."col"`, converted the way Hasura converts values for JSON. */
function columnValue(record: 'OLD' | 'NEW', column: ColumnInfo, stringify: boolean): Sql {
  const reference = sql`${raw(record)}.${ident(column.name)}`;
  if (!column.isArray && geoTypes.has(column.baseType)) {
    return sql`ST_AsGeoJSON(${reference})::json AS ${ident(column.name)}`;
  }
  if (stringify && !column.isArray && bigNumberTypes.has(column.baseType)) {
    return sql`${reference}::text`;
  }
  return reference;
}

/** `(SELECT "e" FROM (SELECT NEW."a", NEW."b") AS "e")`: a record of the chosen columns. */
function rowExpression(record: 'OLD' | 'NEW', columns: ColumnInfo[], stringify: boolean): Sql {
  const values = join(
    columns.map((column) => columnValue(record, column, stringify)),
    ', ',
  );
  return sql`(SELECT "e" FROM (SELECT ${values}) AS "e")`;
}

/**
 * The `CREATE FUNCTION` and `CREATE TRIGGER` statements of one operation of a trigger, in the
 * form of Hasura's `trigger.sql.shakespeare`. An update fires only when one of the listened
 * columns changed, because the function compares records of those columns only.
 */
export function triggerSql(
  trigger: EventTriggerDef,
  op: TriggerOperation,
  spec: OperationSpec,
  columns: ColumnInfo[],
  stringify: boolean,
): { createFunction: string; createTrigger: string } {
  const name = triggerFunctionName(trigger.name, op);
  const listen = pick(spec.columns, columns);
  const delivered = pick(spec.payload, columns);
  const payload = (record: 'OLD' | 'NEW') =>
    sql`row_to_json(${rowExpression(record, delivered, stringify)})`;
  const oldPayload = op === 'INSERT' ? raw('NULL') : payload('OLD');
  const newPayload = op === 'DELETE' ? raw('NULL') : payload('NEW');
  const logCall = sql`PERFORM hdb_catalog.insert_event_log(CAST(${literal(trigger.table.schema)} AS text), CAST(${literal(trigger.table.name)} AS text), CAST(${literal(trigger.name)} AS text), TG_OP, _data);`;
  const body = sql`
  DECLARE
    _old record;
    _new record;
    _data json;
  BEGIN
    IF TG_OP = 'UPDATE' THEN
      _old := row(${rowExpression('OLD', listen, stringify)});
      _new := row(${rowExpression('NEW', listen, stringify)});
    ELSE
      _old := row((select 1));
      _new := row((select 1));
    END IF;
    _data := json_build_object('old', ${oldPayload}, 'new', ${newPayload});
    BEGIN
      IF (TG_OP <> 'UPDATE') OR (_old <> _new) THEN
        ${logCall}
      END IF;
      EXCEPTION WHEN undefined_function THEN
        IF (TG_OP <> 'UPDATE') OR (_old *<> _new) THEN
          ${logCall}
        END IF;
    END;
    RETURN NULL;
  END;
`;
  if (render(body).text.includes('$$')) {
    throw new TypeError(`Event trigger "${trigger.name}" names a column that contains "$$".`);
  }
  const functionName = ident('hdb_catalog', name);
  const table = ident(trigger.table.schema, trigger.table.name);
  const createFunction = sql`CREATE OR REPLACE FUNCTION ${functionName}() RETURNS trigger LANGUAGE plpgsql AS $$${body}$$`;
  const createTrigger = sql`CREATE TRIGGER ${ident(name)} AFTER ${raw(op)} ON ${table} FOR EACH ROW EXECUTE PROCEDURE ${functionName}()`;
  return { createFunction: renderDdl(createFunction), createTrigger: renderDdl(createTrigger) };
}

/** The body text Postgres stores in `pg_proc.prosrc` for a function created by `triggerSql`. */
export function functionBody(createFunction: string): string {
  const start = createFunction.indexOf('$$');
  const end = createFunction.lastIndexOf('$$');
  return createFunction.slice(start + 2, end);
}

/** Renders DDL, which cannot take parameters; every value in it is a quoted literal. */
export function renderDdl(statement: Sql): string {
  const { text, params } = render(statement);
  if (params.length > 0) throw new TypeError('Trigger DDL must not contain parameters.');
  return text;
}
