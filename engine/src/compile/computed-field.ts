import type { ComputedFieldInfo, TableInfo } from '../schema/model.js';
import { ident, join, raw, type Sql, sql } from './sql.js';

/**
 * Calls a computed field's function on the row `alias`. The row is cast to the table's type so
 * rows of a mutation's RETURNING work too; the session arrives as the `hasura.user` setting.
 */
export function computedFieldCall(table: TableInfo, field: ComputedFieldInfo, alias: Sql): Sql {
  const row = sql`(${alias})::${ident(table.table.schema, table.table.name)}`;
  const args = [
    field.tableArgument === undefined ? row : sql`${ident(field.tableArgument)} => ${row}`,
  ];
  if (field.sessionArgument !== undefined) {
    args.push(
      sql`${ident(field.sessionArgument)} => ${raw("current_setting('hasura.user')::json")}`,
    );
  }
  return sql`${ident(field.function.schema, field.function.name)}(${join(args, ', ')})`;
}
