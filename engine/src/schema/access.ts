import type {
  ColumnField,
  ComputedFieldInfo,
  DeleteRule,
  InsertRule,
  RelationshipInfo,
  SelectRule,
  TableInfo,
  UpdateRule,
} from './model.js';

export const adminRole = 'admin';

function everyColumn(table: TableInfo): Set<string> {
  return new Set(table.columns.map((column) => column.name));
}

/** Returns the role's select rule on the table. Admin may read everything. */
export function selectRule(table: TableInfo, role: string): SelectRule | undefined {
  if (role === adminRole) {
    return {
      columns: everyColumn(table),
      computedFields: new Set(table.computedFields.map((field) => field.name)),
      filter: {},
      limit: undefined,
      allowAggregations: true,
      queryRootFields: undefined,
    };
  }
  return table.rules.get(role)?.select;
}

export function insertRule(table: TableInfo, role: string): InsertRule | undefined {
  if (role === adminRole) {
    return { columns: everyColumn(table), check: {}, set: {}, backendOnly: false };
  }
  return table.rules.get(role)?.insert;
}

export function updateRule(table: TableInfo, role: string): UpdateRule | undefined {
  if (role === adminRole) {
    return {
      columns: everyColumn(table),
      filter: {},
      check: undefined,
      set: {},
      backendOnly: false,
    };
  }
  return table.rules.get(role)?.update;
}

export function deleteRule(table: TableInfo, role: string): DeleteRule | undefined {
  if (role === adminRole) return { filter: {}, backendOnly: false };
  return table.rules.get(role)?.delete;
}

/** Columns of the table the role may read, in table order. */
export function selectableColumns(table: TableInfo, role: string): ColumnField[] {
  const rule = selectRule(table, role);
  if (rule === undefined) return [];
  return table.columns.filter((column) => rule.columns.has(column.name));
}

/** Relationships whose remote table the role may read. */
export function visibleRelationships(
  table: TableInfo,
  role: string,
  tables: Map<string, TableInfo>,
): { relationship: RelationshipInfo; target: TableInfo }[] {
  const out: { relationship: RelationshipInfo; target: TableInfo }[] = [];
  for (const relationship of table.relationships) {
    const target = tables.get(relationship.target);
    if (target !== undefined && selectRule(target, role) !== undefined) {
      out.push({ relationship, target });
    }
  }
  return out;
}

/** Computed fields the role may read: all for admin, else those its select permission lists. */
export function selectableComputedFields(
  table: TableInfo,
  role: string,
  tables: Map<string, TableInfo>,
): ComputedFieldInfo[] {
  const rule = selectRule(table, role);
  if (rule === undefined) return [];
  return table.computedFields.filter((field) => {
    if (field.target !== undefined) {
      const target = tables.get(field.target);
      return target !== undefined && selectRule(target, role) !== undefined;
    }
    return rule.computedFields.has(field.name);
  });
}
