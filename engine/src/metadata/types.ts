/**
 * Hasura metadata (format version 3) as `export_metadata` returns it. Only the parts the engine
 * reads are typed; other keys pass through unchanged so exports round-trip.
 */
export interface Metadata {
  version: 3;
  sources: Source[];
  actions?: Action[];
  custom_types?: CustomTypes;
  query_collections?: QueryCollection[];
  allowlist?: AllowlistEntry[];
  rest_endpoints?: RestEndpoint[];
  inherited_roles?: InheritedRole[];
  [section: string]: unknown;
}

export interface QualifiedTable {
  schema: string;
  name: string;
}

export type EnvOrValue = string | { from_env: string };

export interface Source {
  name: string;
  kind: string;
  tables: TableEntry[];
  functions?: unknown[];
  configuration: {
    connection_info?: { database_url?: EnvOrValue | { connection_parameters: unknown } };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface CustomRootFields {
  select?: RootFieldName;
  select_by_pk?: RootFieldName;
  select_aggregate?: RootFieldName;
  select_stream?: RootFieldName;
  insert?: RootFieldName;
  insert_one?: RootFieldName;
  update?: RootFieldName;
  update_by_pk?: RootFieldName;
  update_many?: RootFieldName;
  delete?: RootFieldName;
  delete_by_pk?: RootFieldName;
}

/** Hasura accepts a bare name or `{name, comment}`. */
export type RootFieldName = string | { name?: string | null; comment?: string | null } | null;

export interface TableConfiguration {
  custom_name?: string | null;
  custom_root_fields?: CustomRootFields;
  column_config?: Record<string, { custom_name?: string; comment?: string }>;
  custom_column_names?: Record<string, string>;
  comment?: string;
}

export interface TableEntry {
  table: QualifiedTable;
  configuration?: TableConfiguration;
  is_enum?: boolean;
  object_relationships?: Relationship[];
  array_relationships?: Relationship[];
  computed_fields?: unknown[];
  select_permissions?: Permission<SelectPermission>[];
  insert_permissions?: Permission<InsertPermission>[];
  update_permissions?: Permission<UpdatePermission>[];
  delete_permissions?: Permission<DeletePermission>[];
  event_triggers?: unknown[];
  [key: string]: unknown;
}

export type ForeignKeyUsing =
  | string
  | string[]
  | { column?: string; columns?: string[]; table?: QualifiedTable | string };

export interface ManualConfiguration {
  remote_table: QualifiedTable | string;
  column_mapping: Record<string, string>;
  insertion_order?: 'before_parent' | 'after_parent' | null;
}

export interface Relationship {
  name: string;
  using: {
    foreign_key_constraint_on?: ForeignKeyUsing;
    manual_configuration?: ManualConfiguration;
  };
  comment?: string;
}

export interface Permission<P> {
  role: string;
  permission: P;
  comment?: string;
}

/** A boolean expression over a table, as stored in permission filters and checks. */
export type BoolExp = Record<string, unknown>;

export interface SelectPermission {
  columns: string[] | '*';
  filter?: BoolExp;
  limit?: number | null;
  allow_aggregations?: boolean;
  computed_fields?: string[];
  query_root_fields?: string[] | null;
  subscription_root_fields?: string[] | null;
}

export interface InsertPermission {
  check?: BoolExp;
  set?: Record<string, unknown>;
  columns?: string[] | '*';
  backend_only?: boolean;
}

export interface UpdatePermission {
  columns?: string[] | '*';
  filter?: BoolExp;
  check?: BoolExp | null;
  set?: Record<string, unknown>;
  backend_only?: boolean;
}

export interface DeletePermission {
  filter?: BoolExp;
  backend_only?: boolean;
}

export interface ActionArgument {
  name: string;
  type: string;
  description?: string | null;
}

export interface ActionHeader {
  name: string;
  value?: string;
  value_from_env?: string;
}

export interface Action {
  name: string;
  definition: {
    kind?: 'synchronous' | 'asynchronous';
    type?: 'mutation' | 'query';
    handler: string;
    arguments?: ActionArgument[];
    output_type?: string;
    headers?: ActionHeader[];
    forward_client_headers?: boolean;
    timeout?: number;
    [key: string]: unknown;
  };
  permissions?: { role: string }[];
  comment?: string;
}

export interface CustomTypeField {
  name: string;
  type: string;
  description?: string | null;
}

export interface CustomTypes {
  scalars?: { name: string; description?: string | null }[];
  enums?: {
    name: string;
    description?: string | null;
    values: { value: string; description?: string | null; is_deprecated?: boolean }[];
  }[];
  input_objects?: { name: string; description?: string | null; fields: CustomTypeField[] }[];
  objects?: {
    name: string;
    description?: string | null;
    fields: CustomTypeField[];
    relationships?: unknown[];
  }[];
}

export interface QueryCollection {
  name: string;
  definition: { queries: { name: string; query: string }[] };
  comment?: string;
}

export interface AllowlistEntry {
  collection: string;
  scope?: { global: boolean; roles?: string[] };
}

export interface RestEndpoint {
  name: string;
  url: string;
  methods: string[];
  definition: { query: { collection_name: string; query_name: string } };
  comment?: string | null;
}

export interface InheritedRole {
  role_name: string;
  role_set: string[];
}

/** Metadata with nothing tracked, as a new catalog holds it. */
export function emptyMetadata(): Metadata {
  return {
    version: 3,
    sources: [],
  };
}
