import type pg from 'pg';
import type { QualifiedTable } from '../metadata/types.js';

/** An input argument of a SQL function. */
export interface FunctionArgument {
  /** Argument name, empty when the function leaves it unnamed. */
  name: string;
  sqlType: string;
  baseType: string;
  isArray: boolean;
  hasDefault: boolean;
  /** Set for a composite (row) type, which GraphQL receives as a `<type>_scalar` string. */
  isComposite: boolean;
}

/** Return type and input arguments of a computed field's SQL function. */
export interface FunctionShape {
  function: QualifiedTable;
  returnsSet: boolean;
  /** Return type as `format_type` prints it. */
  sqlType: string;
  /** Base type name, for arrays the element type. */
  baseType: string;
  isArray: boolean;
  /** The table whose rows the function returns, when it returns rows of a table. */
  returnTable: QualifiedTable | undefined;
  /**
   * Input arguments in declaration order.
   * NOTE: names are read from `proargnames` by position, which is wrong for functions that
   * declare OUT arguments before IN ones.
   */
  arguments: FunctionArgument[];
}

interface FunctionRow {
  schema: string;
  name: string;
  returns_set: boolean;
  sql_type: string;
  base_type: string;
  is_array: boolean;
  table_schema: string | null;
  table_name: string | null;
  arguments: FunctionArgument[];
}

const functionsQuery = `
SELECT n.nspname AS schema, p.proname AS name, p.proretset AS returns_set,
       format_type(p.prorettype, NULL) AS sql_type, coalesce(et.typname, t.typname) AS base_type,
       t.typcategory = 'A' AS is_array, rn.nspname AS table_schema, rc.relname AS table_name,
       (SELECT coalesce(json_agg(json_build_object(
                 'name', coalesce(p.proargnames[a.position], ''),
                 'sqlType', format_type(a.oid, NULL),
                 'baseType', coalesce(ae.typname, at.typname),
                 'isArray', at.typcategory = 'A',
                 'isComposite', at.typtype = 'c',
                 'hasDefault', a.position > p.pronargs - p.pronargdefaults
               ) ORDER BY a.position), '[]'::json)
          FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(oid, position)
          JOIN pg_type at ON at.oid = a.oid
          LEFT JOIN pg_type ae ON at.typcategory = 'A' AND ae.oid = at.typelem) AS arguments
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_type t ON t.oid = p.prorettype
  LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem
  LEFT JOIN pg_class rc ON t.typtype = 'c' AND rc.oid = t.typrelid
  LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
 WHERE (n.nspname, p.proname) IN (SELECT * FROM unnest($1::text[], $2::text[]))`;

/** Reads the return types of the given functions, keyed `schema.name`. */
export async function introspectFunctions(
  pool: pg.Pool,
  functions: readonly QualifiedTable[],
): Promise<Map<string, FunctionShape>> {
  const shapes = new Map<string, FunctionShape>();
  if (functions.length === 0) return shapes;
  const result = await pool.query<FunctionRow>(functionsQuery, [
    functions.map((item) => item.schema),
    functions.map((item) => item.name),
  ]);
  for (const row of result.rows) {
    const returnTable =
      row.table_schema === null || row.table_name === null
        ? undefined
        : { schema: row.table_schema, name: row.table_name };
    shapes.set(`${row.schema}.${row.name}`, {
      function: { schema: row.schema, name: row.name },
      returnsSet: row.returns_set,
      sqlType: row.sql_type,
      baseType: row.base_type,
      isArray: row.is_array,
      returnTable,
      arguments: row.arguments,
    });
  }
  return shapes;
}
