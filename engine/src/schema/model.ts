import type { ColumnInfo, TableShape } from '../database/introspect.js';
import type { BoolExp, QualifiedTable } from '../metadata/types.js';

/** A column with the GraphQL field name it is exposed as. */
export interface ColumnField extends ColumnInfo {
  fieldName: string;
  description: string | null;
}

export interface RelationshipInfo {
  name: string;
  kind: 'object' | 'array';
  /** Key (`schema.name`) of the remote table. */
  target: string;
  /** Pairs of local column and remote column. */
  mapping: [string, string][];
  description: string | null;
}

/** An argument of a SQL function that the client passes in `args`. */
export interface FunctionInput extends ColumnField {
  /** Set for a composite (row) type, passed as text in the row literal form. */
  isComposite: boolean;
}

/** A computed field: a SQL function of the row, returning a scalar or rows of a table. */
export interface ComputedFieldInfo {
  name: string;
  function: QualifiedTable;
  description: string | null;
  /** Name of the function's row argument; the first argument when unset. */
  tableArgument: string | undefined;
  /** Name of the argument that receives the session variables as JSON. */
  sessionArgument: string | undefined;
  /** Arguments the client passes in `args`: all but the row and session arguments. */
  inputArguments: FunctionInput[];
  /** Scalar result type, when the function returns a scalar. */
  scalar: Pick<ColumnInfo, 'sqlType' | 'baseType' | 'isArray'> | undefined;
  /** Key of the table whose rows the function returns (as a set), otherwise undefined. */
  target: string | undefined;
}

export interface SelectRule {
  columns: Set<string>;
  computedFields: Set<string>;
  filter: BoolExp;
  limit: number | undefined;
  allowAggregations: boolean;
  /** Root fields the role may use; undefined means all of them. */
  queryRootFields: Set<string> | undefined;
}

export interface InsertRule {
  columns: Set<string>;
  check: BoolExp;
  set: Record<string, unknown>;
  backendOnly: boolean;
}

export interface UpdateRule {
  columns: Set<string>;
  filter: BoolExp;
  check: BoolExp | undefined;
  set: Record<string, unknown>;
  backendOnly: boolean;
}

export interface DeleteRule {
  filter: BoolExp;
  backendOnly: boolean;
}

/** Permissions of one role on one table; a missing rule means the operation is not allowed. */
export interface TableRules {
  select: SelectRule | undefined;
  insert: InsertRule | undefined;
  update: UpdateRule | undefined;
  delete: DeleteRule | undefined;
}

export interface RootFieldNames {
  select: string;
  selectByPk: string;
  selectAggregate: string;
  insert: string;
  insertOne: string;
  update: string;
  updateByPk: string;
  updateMany: string;
  delete: string;
  deleteByPk: string;
}

export interface TableInfo {
  key: string;
  table: QualifiedTable;
  shape: TableShape;
  /** Base name of the table's GraphQL types, such as `users` or `auth_users`. */
  typeName: string;
  description: string | null;
  columns: ColumnField[];
  columnsByName: Map<string, ColumnField>;
  relationships: RelationshipInfo[];
  computedFields: ComputedFieldInfo[];
  rootFields: RootFieldNames;
  /** Root field descriptions set through `custom_root_fields` comments. */
  rootComments: Partial<Record<keyof RootFieldNames, string>>;
  rules: Map<string, TableRules>;
}

/** Tracked tables, joined from the database's table shapes and the metadata. */
/** A tracked SQL function served as a query root field, returning rows of a tracked table. */
export interface RootFunctionInfo {
  /** Root field name: the configured `custom_name`, else the function name. */
  fieldName: string;
  function: QualifiedTable;
  description: string | null;
  /** Name of the argument that receives the session variables as JSON. */
  sessionArgument: string | undefined;
  /** Arguments the client passes in `args`: all but the session argument. */
  inputArguments: FunctionInput[];
  /** Key of the table whose rows the function returns. */
  target: string;
}

export interface Catalog {
  tables: Map<string, TableInfo>;
  /** Tracked functions that are served as root fields. */
  functions?: RootFunctionInfo[];
  /** Roles named anywhere in the metadata. */
  roles: Set<string>;
}

/** A metadata object that could not be built, as `get_inconsistent_metadata` lists it. */
export interface InconsistentObject {
  type: string;
  name: string;
  reason: string;
  definition: unknown;
}
