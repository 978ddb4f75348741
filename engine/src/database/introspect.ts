import type pg from 'pg';
import type { QualifiedTable } from '../metadata/types.js';

export interface ColumnInfo {
  name: string;
  /** Type as `format_type` prints it, safe to splice into a cast. */
  sqlType: string;
  /** Base type name, such as `uuid` or `int4`, for arrays the element type. */
  baseType: string;
  isArray: boolean;
  nullable: boolean;
  hasDefault: boolean;
  /** Identity or generated columns cannot be inserted. */
  generated: boolean;
  position: number;
  comment: string | null;
}

export interface ForeignKeyInfo {
  name: string;
  columns: string[];
  target: QualifiedTable;
  targetColumns: string[];
}

export interface TableShape {
  table: QualifiedTable;
  kind: 'table' | 'view';
  comment: string | null;
  columns: ColumnInfo[];
  primaryKey: string[];
  /** Primary key and unique constraints, for `on_conflict`. */
  uniqueConstraints: { name: string; columns: string[] }[];
  foreignKeys: ForeignKeyInfo[];
}

export function tableKey(table: QualifiedTable): string {
  return `${table.schema}.${table.name}`;
}

const tablesQuery = `
SELECT n.nspname AS schema, c.relname AS name, c.oid::int8::text AS oid,
       CASE WHEN c.relkind IN ('r','p','f') THEN 'table' ELSE 'view' END AS kind,
       obj_description(c.oid, 'pg_class') AS comment
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r','p','f','v','m')
   AND (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))`;

const columnsQuery = `
SELECT a.attrelid::int8::text AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS sql_type,
       coalesce(et.typname, t.typname) AS base_type, t.typcategory = 'A' AS is_array,
       NOT a.attnotnull AS nullable, a.atthasdef AS has_default,
       (a.attidentity = 'a' OR a.attgenerated <> '') AS generated, a.attnum AS position,
       col_description(a.attrelid, a.attnum) AS comment
  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem
 WHERE a.attrelid = ANY($1::int8[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum`;

const constraintsQuery = `
SELECT con.conrelid::int8::text AS oid, con.conname AS name, con.contype AS type,
       ARRAY(SELECT att.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.num
             ORDER BY k.ord)::text[] AS columns,
       fn.nspname AS target_schema, fc.relname AS target_name,
       ARRAY(SELECT att.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute att ON att.attrelid = con.confrelid AND att.attnum = k.num
             ORDER BY k.ord)::text[] AS target_columns
  FROM pg_constraint con
  LEFT JOIN pg_class fc ON fc.oid = con.confrelid
  LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
 WHERE con.conrelid = ANY($1::int8[]::oid[]) AND con.contype IN ('p','u','f')
 ORDER BY con.conname`;

interface TableRow {
  schema: string;
  name: string;
  oid: string;
  kind: 'table' | 'view';
  comment: string | null;
}

interface ColumnRow {
  oid: string;
  name: string;
  sql_type: string;
  base_type: string;
  is_array: boolean;
  nullable: boolean;
  has_default: boolean;
  generated: boolean;
  position: number;
  comment: string | null;
}

interface ConstraintRow {
  oid: string;
  name: string;
  type: 'p' | 'u' | 'f';
  columns: string[];
  target_schema: string | null;
  target_name: string | null;
  target_columns: string[];
}

/** Reads columns, keys and constraints of the given tables; missing tables are left out. */
export async function introspectTables(
  client: pg.Pool | pg.PoolClient,
  tables: readonly QualifiedTable[],
): Promise<Map<string, TableShape>> {
  const found = await client.query<TableRow>(tablesQuery, [
    tables.map((table) => table.schema),
    tables.map((table) => table.name),
  ]);
  const byOid = new Map<string, TableShape>();
  for (const row of found.rows) {
    byOid.set(row.oid, {
      table: { schema: row.schema, name: row.name },
      kind: row.kind,
      comment: row.comment,
      columns: [],
      primaryKey: [],
      uniqueConstraints: [],
      foreignKeys: [],
    });
  }
  const oids = [...byOid.keys()];
  const columns = await client.query<ColumnRow>(columnsQuery, [oids]);
  for (const row of columns.rows) {
    byOid.get(row.oid)?.columns.push({
      name: row.name,
      sqlType: row.sql_type,
      baseType: row.base_type,
      isArray: row.is_array,
      nullable: row.nullable,
      hasDefault: row.has_default,
      generated: row.generated,
      position: row.position,
      comment: row.comment,
    });
  }
  const constraints = await client.query<ConstraintRow>(constraintsQuery, [oids]);
  for (const row of constraints.rows) addConstraint(byOid.get(row.oid), row);

  const shapes = new Map<string, TableShape>();
  for (const shape of byOid.values()) shapes.set(tableKey(shape.table), shape);
  return shapes;
}

function addConstraint(shape: TableShape | undefined, row: ConstraintRow): void {
  if (shape === undefined) return;
  if (row.type === 'p') shape.primaryKey = row.columns;
  if (row.type === 'p' || row.type === 'u') {
    shape.uniqueConstraints.push({ name: row.name, columns: row.columns });
  }
  if (row.type === 'f' && row.target_schema !== null && row.target_name !== null) {
    shape.foreignKeys.push({
      name: row.name,
      columns: row.columns,
      target: { schema: row.target_schema, name: row.target_name },
      targetColumns: row.target_columns,
    });
  }
}
