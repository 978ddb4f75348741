import type { InheritedRole } from '../metadata/types.js';
import type { SelectRule, TableInfo, TableRules } from './model.js';

/** Returns the roles `role` inherits from, directly or through other inherited roles. */
export function expandRoleSet(
  role: string,
  inherited: readonly InheritedRole[],
  seen = new Set<string>(),
): string[] {
  const entry = inherited.find((item) => item.role_name === role);
  if (entry === undefined || seen.has(role)) return [role];
  seen.add(role);
  return entry.role_set.flatMap((parent) => expandRoleSet(parent, inherited, seen));
}

function unionSelect(rules: SelectRule[]): SelectRule | undefined {
  const [first] = rules;
  if (first === undefined) return undefined;
  if (rules.length === 1) return first;
  const limits = rules.map((rule) => rule.limit);
  const rootFields = rules.map((rule) => rule.queryRootFields);
  return {
    columns: new Set(rules.flatMap((rule) => [...rule.columns])),
    computedFields: new Set(rules.flatMap((rule) => [...rule.computedFields])),
    filter: { _or: rules.map((rule) => rule.filter) },
    limit: limits.includes(undefined) ? undefined : Math.max(...(limits as number[])),
    allowAggregations: rules.some((rule) => rule.allowAggregations),
    queryRootFields: rootFields.includes(undefined)
      ? undefined
      : new Set(rootFields.flatMap((fields) => [...(fields ?? [])])),
  };
}

/**
 * Gives each inherited role the union of its parents' select permissions: every column any
 * parent may read, rows that any parent's filter allows. A role with its own permission on a
 * table keeps it. NOTE: Hasura also nulls a column in rows where only a parent without that
 * column matches; this union returns the column for every row. Mutations are not inherited.
 */
export function applyInheritedRoles(
  tables: Map<string, TableInfo>,
  inherited: readonly InheritedRole[],
  roles: Set<string>,
): void {
  for (const entry of inherited) {
    roles.add(entry.role_name);
    const parents = expandRoleSet(entry.role_name, inherited);
    for (const table of tables.values()) {
      if (table.rules.get(entry.role_name)?.select !== undefined) continue;
      const select = unionSelect(
        parents.flatMap((parent) => table.rules.get(parent)?.select ?? []),
      );
      if (select === undefined) continue;
      const own: TableRules = table.rules.get(entry.role_name) ?? {
        select: undefined,
        insert: undefined,
        update: undefined,
        delete: undefined,
      };
      own.select = select;
      table.rules.set(entry.role_name, own);
    }
  }
}
