import type { Action } from '../metadata/types.js';
import type { RootFunctionInfo, TableInfo } from './model.js';

export type TableRootKind =
  | 'select'
  | 'select_by_pk'
  | 'select_aggregate'
  | 'insert'
  | 'insert_one'
  | 'update'
  | 'update_by_pk'
  | 'update_many'
  | 'delete'
  | 'delete_by_pk';

/** What a root field of the schema does, for the compiler. */
export type RootField =
  | { kind: TableRootKind; table: TableInfo }
  | { kind: 'action'; action: Action }
  | { kind: 'function' | 'function_aggregate'; function: RootFunctionInfo; table: TableInfo };
