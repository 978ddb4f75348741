import type { ColumnField } from '../schema/model.js';
import { scalarName } from '../schema/scalars.js';
import { type CompileContext, validationError } from './context.js';
import { type ParamSource, raw, type Sql, sql } from './sql.js';
import { VariableRef } from './values.js';
import type { FilterOrigin } from './where.js';

const sessionVariable = /^x-hasura-/i;

/** Whether a permission value names a session variable, such as `X-Hasura-User-Id`. */
export function isSessionVariable(value: unknown): value is string {
  return typeof value === 'string' && sessionVariable.test(value);
}

/** Turns a comparison operand into a parameter: a variable, a session variable or a constant. */
export function operandParam(
  context: CompileContext,
  column: ColumnField,
  operand: unknown,
  path: string,
  origin: FilterOrigin,
  shape: 'single' | 'list' | 'text',
): ParamSource {
  const typeName = scalarName(column);
  const isJson = (column.baseType === 'json' || column.baseType === 'jsonb') && shape === 'single';
  if (operand instanceof VariableRef) {
    context.operandChecks.push({ name: operand.name, path, typeName });
    const encoding = variableEncoding(shape === 'list' || column.isArray, isJson);
    return { kind: 'variable', name: operand.name, encoding };
  }
  if (origin === 'permission' && isSessionVariable(operand)) {
    return { kind: 'session', name: operand.toLowerCase(), array: shape === 'list' };
  }
  const value = context.variables.resolve(operand);
  if (value === null || value === undefined)
    throw validationError(path, `unexpected null value for type '${typeName}'`);
  if (shape === 'list') {
    const items = Array.isArray(value) ? value : [value];
    return {
      kind: 'value',
      value: items.map((entry) => (typeof entry === 'object' ? JSON.stringify(entry) : entry)),
    };
  }
  if (isJson || (typeof value === 'object' && !column.isArray))
    return { kind: 'value', value: JSON.stringify(value) };
  return { kind: 'value', value };
}

/** Turns a value to store in a column into a parameter; null is allowed and stored as NULL. */
export function columnValueParam(
  context: CompileContext,
  column: ColumnField,
  value: unknown,
  origin: FilterOrigin,
): ParamSource {
  const isJson = column.baseType === 'json' || column.baseType === 'jsonb';
  if (value instanceof VariableRef) {
    const encoding = variableEncoding(column.isArray, isJson);
    return { kind: 'variable', name: value.name, encoding };
  }
  if (origin === 'permission' && isSessionVariable(value)) {
    return { kind: 'session', name: value.toLowerCase(), array: false };
  }
  const plain = context.variables.resolve(value);
  if (plain === null || plain === undefined) return { kind: 'value', value: null };
  if (isJson || (typeof plain === 'object' && !column.isArray)) {
    return { kind: 'value', value: JSON.stringify(plain) };
  }
  return { kind: 'value', value: plain };
}

/**
 * Casts a value bound for a column to the column's type. geometry and geography values
 * arrive as GeoJSON, so they go through `ST_GeomFromGeoJSON` first, as in Hasura.
 */
export function castToColumn(
  value: Sql | ParamSource,
  column: Pick<ColumnField, 'baseType' | 'sqlType' | 'isArray'>,
): Sql {
  // Postgres infers one type per placeholder, so a constant shared by two casts must not be.
  const typed =
    isSqlParam(value) && value.kind === 'value' ? { ...value, castTo: column.sqlType } : value;
  const spatial = column.baseType === 'geometry' || column.baseType === 'geography';
  if (spatial && !column.isArray) {
    return sql`ST_GeomFromGeoJSON((${typed})::text)::${raw(column.sqlType)}`;
  }
  return sql`${typed}::${raw(column.sqlType)}`;
}

function isSqlParam(value: Sql | ParamSource): value is ParamSource {
  return 'kind' in value;
}

/** Chooses how a GraphQL variable is sent as a statement parameter. */
function variableEncoding(isArray: boolean, isJson: boolean): 'array' | 'json' | 'scalar' {
  if (isArray) return 'array';
  return isJson ? 'json' : 'scalar';
}
