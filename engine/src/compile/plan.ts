import type { FieldNode } from 'graphql';
import type { Action } from '../metadata/types.js';
import type { OperandCheck } from './context.js';
import type { CollectedField } from './fields.js';
import type { ParamSource } from './sql.js';

/** A rendered SQL statement and the sources of its parameters. */
export interface Statement {
  text: string;
  params: ParamSource[];
}

/** Step that produces one root field of an operation. */
export type RootStep =
  | { kind: 'sql'; key: string; statement: Statement }
  | {
      kind: 'mutation';
      key: string;
      statement: Statement;
      checked: boolean;
      errorPath: string;
      /** Selects the output after an insert through relationships. */
      followUp: Statement | undefined;
    }
  | {
      kind: 'mutation-list';
      key: string;
      statements: { statement: Statement; checked: boolean }[];
    }
  | { kind: 'typename'; key: string; value: string }
  | { kind: 'introspection'; key: string; nodes: FieldNode[] }
  | { kind: 'action'; key: string; action: Action; field: CollectedField; path: string };

/** A compiled operation, reusable for every request with the same cache key. */
export interface OperationPlan {
  operation: 'query' | 'mutation' | 'subscription';
  steps: RootStep[];
  operandChecks: OperandCheck[];
  /** Variables whose values shaped the SQL text, part of the cache key. */
  structural: string[];
}
