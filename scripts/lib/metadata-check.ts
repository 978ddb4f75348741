import { isSecretColumn } from '../../actions/src/tenants/secret-columns.js';
import type { Metadata, Relationship, TableEntry } from '../../engine/src/metadata/types.js';
import type { DatabaseSchema } from './migration-schema.js';

/** Options of `checkMetadata`. */
export interface MetadataCheckOptions {
  /** Roles whose rules may span tenants; they still need the active_sessions clause. */
  crossTenantRoles: readonly string[];
}

export const defaultCheckOptions: MetadataCheckOptions = { crossTenantRoles: ['platform_admin'] };

type BoolExp = Record<string, unknown>;
type Operation = 'select' | 'insert' | 'update' | 'delete';

interface Rule {
  table: string;
  role: string;
  operation: Operation;
  /** filter or check. */
  part: 'filter' | 'check';
  expression: BoolExp;
  preset: Record<string, unknown>;
  columns: string[] | '*';
}

const tenantVariable = 'x-hasura-tenant-id';

/**
 * Roles a user has through a tenant role that an admin can take away. Their rules must
 * check the session in active_session_roles with the role's name, so the loss takes effect
 * on the next request rather than when the token expires.
 */
const roleBoundRoles = ['tenant_admin', 'platform_admin'];

/** Tests whether a conjunct is `role: {_eq: <role>}`. */
function isRoleMatch(item: BoolExp, role: string): boolean {
  const comparison = item.role;
  return isRecord(comparison) && comparison._eq === role;
}

function isRecord(value: unknown): value is BoolExp {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function qualified(table: { schema: string; name: string } | string): string {
  return typeof table === 'string' ? `public.${table}` : `${table.schema}.${table.name}`;
}

/** Returns the conjuncts of an expression: the members of nested `_and`s and multi-key objects. */
function conjuncts(expression: BoolExp): BoolExp[] {
  const parts: BoolExp[] = [];
  for (const [key, value] of Object.entries(expression)) {
    if (key === '_and' && Array.isArray(value)) {
      for (const item of value) if (isRecord(item)) parts.push(...conjuncts(item));
    } else {
      parts.push({ [key]: value });
    }
  }
  return parts;
}

function equalsVariable(comparison: unknown, variable: string): boolean {
  return (
    isRecord(comparison) &&
    typeof comparison._eq === 'string' &&
    comparison._eq.toLowerCase() === variable
  );
}

/** Returns the qualified target table of relationship `name` of `entry`, if there is one. */
export function relationshipTarget(
  entry: TableEntry,
  name: string,
  schema: DatabaseSchema,
): string | undefined {
  const relationships: Relationship[] = [
    ...(entry.object_relationships ?? []),
    ...(entry.array_relationships ?? []),
  ];
  const relationship = relationships.find((item) => item.name === name);
  if (relationship === undefined) return undefined;
  const manual = relationship.using.manual_configuration;
  if (manual !== undefined) return qualified(manual.remote_table);
  const foreignKey = relationship.using.foreign_key_constraint_on;
  if (foreignKey === undefined) return undefined;
  if (typeof foreignKey === 'string' || Array.isArray(foreignKey)) {
    const column = typeof foreignKey === 'string' ? foreignKey : foreignKey[0];
    return column === undefined
      ? undefined
      : schema.get(qualified(entry.table))?.references.get(column);
  }
  return foreignKey.table === undefined ? undefined : qualified(foreignKey.table);
}

/** Returns the column that contains a row's tenant, which is `id` for the tenants table itself. */
export function tenantColumn(table: string, schema: DatabaseSchema): string | undefined {
  if (table === 'public.tenants') return 'id';
  return schema.get(table)?.columns.has('tenant_id') === true ? 'tenant_id' : undefined;
}

/**
 * Whether `expression` on `table` admits only rows whose tenant column equals
 * X-Hasura-Tenant-Id: a conjunct compares it directly, follows a relationship to a table
 * whose tenant column it compares, or is an `_or` whose every branch does.
 */
function constrainsTenant(
  expression: BoolExp,
  table: string,
  context: { entries: Map<string, TableEntry>; schema: DatabaseSchema },
  depth = 0,
): boolean {
  if (depth > 4) return false;
  const column = tenantColumn(table, context.schema);
  return conjuncts(expression).some((part) => {
    const [key, value] = Object.entries(part)[0] ?? [];
    if (key === undefined) return false;
    if (key === '_or' && Array.isArray(value)) {
      return (
        value.length > 0 &&
        value.every((item) => isRecord(item) && constrainsTenant(item, table, context, depth))
      );
    }
    if (key.startsWith('_')) return false;
    if (key === column) return equalsVariable(value, tenantVariable);
    const entry = context.entries.get(table);
    const target = entry === undefined ? undefined : relationshipTarget(entry, key, context.schema);
    return target !== undefined && isRecord(value)
      ? constrainsTenant(value, target, context, depth + 1)
      : false;
  });
}

/** Tests whether a conjunct of `expression` is the `_exists` on active_sessions for the caller. */
function hasSessionClause(expression: BoolExp, role: string): boolean {
  return conjuncts(expression).some((part) => {
    const exists = part._exists;
    if (!isRecord(exists) || !isRecord(exists._table) || !isRecord(exists._where)) return false;
    const table = qualified(exists._table as { schema: string; name: string });
    const where = conjuncts(exists._where);
    const compares = (column: string, variable: string) =>
      where.some((item) => equalsVariable(item[column], variable));
    // The plugin role has no session: its tokens stay live while plugin_grants holds their
    // installation, which is enabled and in an open tenant.
    if (table === 'public.plugin_grants') {
      return (
        compares('installation_id', 'x-hasura-plugin-installation-id') &&
        compares('tenant_id', tenantVariable)
      );
    }
    // active_session_roles also names the role, so a role taken away stops on the next request.
    const sessionTables = roleBoundRoles.includes(role)
      ? ['public.active_session_roles']
      : ['public.active_sessions', 'public.active_session_roles'];
    if (!sessionTables.includes(table)) return false;
    if (table === 'public.active_session_roles' && !where.some((item) => isRoleMatch(item, role))) {
      return false;
    }
    return (
      compares('id', 'x-hasura-session-id') &&
      compares('user_id', 'x-hasura-user-id') &&
      compares('tenant_id', tenantVariable)
    );
  });
}

function rulesOf(entry: TableEntry): Rule[] {
  const table = qualified(entry.table);
  const rules: Rule[] = [];
  const add = (
    role: string,
    operation: Operation,
    part: Rule['part'],
    expression: unknown,
    extra: { preset?: Record<string, unknown>; columns?: string[] | '*' } = {},
  ) => {
    rules.push({
      table,
      role,
      operation,
      part,
      expression: isRecord(expression) ? expression : {},
      preset: extra.preset ?? {},
      columns: extra.columns ?? [],
    });
  };
  for (const { role, permission } of entry.select_permissions ?? []) {
    add(role, 'select', 'filter', permission.filter, { columns: permission.columns });
  }
  for (const { role, permission } of entry.insert_permissions ?? []) {
    add(role, 'insert', 'check', permission.check, {
      preset: permission.set,
      columns: permission.columns,
    });
  }
  for (const { role, permission } of entry.update_permissions ?? []) {
    add(role, 'update', 'filter', permission.filter);
    add(role, 'update', 'check', permission.check ?? {}, {
      preset: permission.set,
      columns: permission.columns,
    });
  }
  for (const { role, permission } of entry.delete_permissions ?? []) {
    add(role, 'delete', 'filter', permission.filter);
  }
  return rules;
}

/** Returns the report line of a rule that does not keep to the tenant, or null. */
function tenantProblem(
  rule: Rule,
  context: { entries: Map<string, TableEntry>; schema: DatabaseSchema },
): string | null {
  const column = tenantColumn(rule.table, context.schema);
  if (column === undefined) return null;
  if (constrainsTenant(rule.expression, rule.table, context)) return null;
  const preset = rule.preset[column];
  if (typeof preset === 'string' && preset.toLowerCase() === tenantVariable) return null;
  // An update check may leave the tenant alone when the tenant column cannot be set.
  if (rule.operation === 'update' && rule.part === 'check') {
    const columns = rule.columns === '*' ? [column] : rule.columns;
    if (!columns.includes(column)) return null;
  }
  return `${rule.table}: role ${rule.role} ${rule.operation} ${rule.part} does not constrain ${column} to X-Hasura-Tenant-Id`;
}

/**
 * Checks the permission rules and REST endpoints of `metadata` against `schema`, the tables
 * and views the migrations create. Returns one report line per problem, sorted, so an empty
 * list means the metadata passes. Rules of the `admin` role are not checked.
 */
export function checkMetadata(
  metadata: Metadata,
  schema: DatabaseSchema,
  options: MetadataCheckOptions = defaultCheckOptions,
): string[] {
  const tables = metadata.sources.flatMap((source) => source.tables);
  const entries = new Map(tables.map((entry) => [qualified(entry.table), entry]));
  const context = { entries, schema };
  const problems: string[] = [];

  for (const rule of tables.flatMap(rulesOf)) {
    if (rule.role === 'admin') continue;
    const checksSession = rule.part === (rule.operation === 'insert' ? 'check' : 'filter');
    if (checksSession && !hasSessionClause(rule.expression, rule.role)) {
      const clause = roleBoundRoles.includes(rule.role)
        ? `active_session_roles clause with role ${rule.role}`
        : 'active_sessions clause';
      problems.push(
        `${rule.table}: role ${rule.role} ${rule.operation} ${rule.part} lacks the ${clause}`,
      );
    }
    if (!options.crossTenantRoles.includes(rule.role)) {
      const problem = tenantProblem(rule, context);
      if (problem !== null) problems.push(problem);
    }
    if (rule.operation === 'select') {
      const columns =
        rule.columns === '*' ? [...(schema.get(rule.table)?.columns ?? [])] : rule.columns;
      for (const column of columns.filter(isSecretColumn)) {
        problems.push(
          `${rule.table}: role ${rule.role} select exposes the secret column ${column}`,
        );
      }
    }
  }
  problems.push(...restProblems(metadata));
  return [...new Set(problems)].sort();
}

function restProblems(metadata: Metadata): string[] {
  const collections = new Map(
    (metadata.query_collections ?? []).map((collection) => [
      collection.name,
      new Set(collection.definition.queries.map((query) => query.name)),
    ]),
  );
  const problems: string[] = [];
  for (const endpoint of metadata.rest_endpoints ?? []) {
    const { collection_name: collection, query_name: query } = endpoint.definition.query;
    if (collections.get(collection)?.has(query) !== true) {
      problems.push(
        `REST endpoint ${endpoint.name} (${endpoint.url}): query ${query} is not in query collection ${collection}`,
      );
    }
  }
  return problems;
}
