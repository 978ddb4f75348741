import type { ComputedFieldInfo, TableInfo } from '../schema/model.js';
import { isRecord } from '../util/json.js';
import { type CompileContext, validationError } from './context.js';
import { type CollectedField, fieldArguments } from './fields.js';
import { columnValueParam } from './params.js';
import { ident, join, raw, type Sql, sql } from './sql.js';

/**
 * Calls a computed field's function on the row `alias`. The row is cast to the table's type so
 * rows of a mutation's RETURNING work too; the session arrives as the `hasura.user` setting.
 * `inputs` are the named arguments the client passed in `args`.
 */
export function computedFieldCall(
  table: TableInfo,
  field: ComputedFieldInfo,
  alias: Sql,
  inputs: readonly Sql[] = [],
): Sql {
  const row = sql`(${alias})::${ident(table.table.schema, table.table.name)}`;
  const args = [
    field.tableArgument === undefined ? row : sql`${ident(field.tableArgument)} => ${row}`,
    ...inputs,
  ];
  if (field.sessionArgument !== undefined) {
    args.push(
      sql`${ident(field.sessionArgument)} => ${raw("current_setting('hasura.user')::json")}`,
    );
  }
  return sql`${ident(field.function.schema, field.function.name)}(${join(args, ', ')})`;
}

/**
 * Compiles the `args` of a computed field into named arguments of its function call, each
 * cast to the argument's type. Arguments left out fall back to the function's defaults.
 */
export function computedFieldInputs(
  context: CompileContext,
  computed: Pick<ComputedFieldInfo, 'inputArguments'>,
  field: CollectedField,
  path: string,
): Sql[] {
  const argsValue = context.variables.resolveShallow(fieldArguments(context, field).get('args'));
  const required = computed.inputArguments.filter((argument) => !argument.hasDefault);
  if ((argsValue === undefined || argsValue === null) && required.length > 0) {
    throw validationError(path, `missing required field 'args'`);
  }
  if (argsValue === undefined || argsValue === null) return [];
  if (!isRecord(argsValue))
    throw validationError(`${path}.args.args`, 'expected an object for "args"');
  const inputs: Sql[] = [];
  for (const argument of computed.inputArguments) {
    if (!(argument.name in argsValue) && !argument.hasDefault) {
      throw validationError(`${path}.args.args`, `missing required field '${argument.name}'`);
    }
    if (!(argument.name in argsValue)) continue;
    const value = columnValueParam(context, argument, argsValue[argument.name], 'request');
    inputs.push(sql`${ident(argument.name)} => ${value}::${raw(argument.sqlType)}`);
  }
  return inputs;
}
