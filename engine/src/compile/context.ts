import type { FragmentDefinitionNode } from 'graphql';
import { EngineError } from '../errors.js';
import type { Catalog, TableInfo } from '../schema/model.js';
import { ident, type Sql } from './sql.js';
import { VariableUse } from './values.js';

/** A variable used as a comparison operand, which must not be null when the plan runs. */
export interface OperandCheck {
  name: string;
  path: string;
  typeName: string;
}

/** State of compiling one operation for one role. */
export class CompileContext {
  readonly variables = new VariableUse();
  readonly operandChecks: OperandCheck[] = [];
  /** Row alias of the table a permission filter belongs to, for `["$", column]` references. */
  permissionRoot: Sql | undefined;
  private aliasCount = 0;

  constructor(
    readonly catalog: Catalog,
    readonly role: string,
    readonly stringifyNumeric: boolean,
    readonly variableValues: Record<string, unknown>,
    readonly fragments: Map<string, FragmentDefinitionNode>,
  ) {}

  /** Returns a fresh table alias such as `"_2"`, unique within the statement. */
  alias(): Sql {
    this.aliasCount += 1;
    return ident(`_${this.aliasCount}`);
  }

  table(key: string): TableInfo {
    const table = this.catalog.tables.get(key);
    if (table === undefined) throw new Error(`table "${key}" is not in the catalog`);
    return table;
  }
}

export function validationError(path: string, message: string): EngineError {
  return new EngineError('validation-failed', message, { path, status: 200 });
}
