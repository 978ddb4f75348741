import type { RootFunctionInfo, TableInfo } from '../schema/model.js';
import { compileAggregate } from './aggregate.js';
import { computedFieldInputs } from './computed-field.js';
import type { CompileContext } from './context.js';
import type { CollectedField } from './fields.js';
import { listJson } from './select.js';
import { ident, join, raw, type Sql, sql } from './sql.js';

/**
 * Compiles a tracked function's root field: the rows the function returns, filtered by the
 * role's select permission on the returned table and by the field's own arguments.
 */
export function compileFunctionRoot(
  context: CompileContext,
  root: { kind: 'function' | 'function_aggregate'; function: RootFunctionInfo; table: TableInfo },
  field: CollectedField,
  path: string,
): Sql {
  const info = root.function;
  const args = computedFieldInputs(context, info, field, path);
  if (info.sessionArgument !== undefined) {
    args.push(
      sql`${ident(info.sessionArgument)} => ${raw("current_setting('hasura.user')::json")}`,
    );
  }
  const call = sql`${ident(info.function.schema, info.function.name)}(${join(args, ', ')})`;
  if (root.kind === 'function_aggregate') {
    return compileAggregate(context, root.table, field, path, undefined, call);
  }
  return listJson(context, root.table, field, path, undefined, call);
}
