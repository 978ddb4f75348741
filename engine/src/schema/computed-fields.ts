import type { FunctionArgument, FunctionShape } from '../database/functions.js';
import { tableKey } from '../database/introspect.js';
import { isRecord } from '../util/json.js';
import type { ComputedFieldInfo, FunctionInput, TableInfo } from './model.js';

/**
 * Lists the function arguments a client fills in through `args`: every argument except the
 * session argument and, for a computed field (`hasRow`), the row argument (named
 * `tableArgument`, else the first).
 */
export function inputArguments(
  all: readonly FunctionArgument[],
  tableArgument: string | undefined,
  sessionArgument: string | undefined,
  hasRow = true,
): FunctionInput[] {
  const inputs: FunctionInput[] = [];
  all.forEach((argument, index) => {
    const isRow =
      hasRow && (tableArgument === undefined ? index === 0 : argument.name === tableArgument);
    if (isRow || argument.name === sessionArgument || argument.name === '') return;
    inputs.push({
      ...argument,
      fieldName: argument.name,
      description: null,
      nullable: true,
      generated: false,
      position: index + 1,
      comment: null,
    });
  });
  return inputs;
}

export function computedFieldName(field: unknown): string {
  return isRecord(field) && typeof field.name === 'string' ? field.name : '(unnamed)';
}

/** Resolves a `computed_fields` entry against the database's functions, or explains why not. */
export function resolveComputedField(
  field: unknown,
  functions: Map<string, FunctionShape>,
  tables: Map<string, TableInfo>,
): ComputedFieldInfo | string {
  if (!isRecord(field) || typeof field.name !== 'string' || !isRecord(field.definition)) {
    return 'a computed field needs a "name" and a "definition"';
  }
  const definition = field.definition;
  const functionValue = definition.function;
  const name =
    typeof functionValue === 'string'
      ? { schema: 'public', name: functionValue }
      : isRecord(functionValue) && typeof functionValue.name === 'string'
        ? {
            schema: typeof functionValue.schema === 'string' ? functionValue.schema : 'public',
            name: functionValue.name,
          }
        : undefined;
  if (name === undefined) return 'the computed field has no "function"';
  const shape = functions.get(tableKey(name));
  if (shape === undefined) return `no such function exists: "${tableKey(name)}"`;

  const tableArgument =
    typeof definition.table_argument === 'string' ? definition.table_argument : undefined;
  const sessionArgument =
    typeof definition.session_argument === 'string' ? definition.session_argument : undefined;
  const base = {
    name: field.name,
    function: name,
    description: typeof field.comment === 'string' ? field.comment : null,
    tableArgument,
    sessionArgument,
    inputArguments: inputArguments(shape.arguments, tableArgument, sessionArgument),
  };
  if (shape.returnTable !== undefined) {
    const target = tableKey(shape.returnTable);
    if (!shape.returnsSet) return `the function "${tableKey(name)}" must return SETOF a table`;
    if (!tables.has(target))
      return `the table "${target}" returned by "${tableKey(name)}" is not tracked`;
    return { ...base, scalar: undefined, target };
  }
  if (shape.returnsSet) return `the function "${tableKey(name)}" must not return a set of scalars`;
  return {
    ...base,
    scalar: { sqlType: shape.sqlType, baseType: shape.baseType, isArray: shape.isArray },
    target: undefined,
  };
}
