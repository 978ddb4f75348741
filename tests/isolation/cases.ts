import { isSecretColumn } from '../../actions/src/tenants/secret-columns.js';
import type { Metadata, TableEntry } from '../../engine/src/metadata/types.js';
import { relationshipTarget, tenantColumn } from '../../scripts/lib/metadata-check.js';
import type { DatabaseSchema } from '../../scripts/lib/migration-schema.js';
import { tenants } from './platform.js';

/** What a response to an attack may contain besides errors. */
export type Outcome = 'no-rows' | 'null' | 'zero-count' | 'zero-affected' | 'no-leak';

/** One generated attack: a GraphQL document sent as `role` by a signed-in user of tenant A. */
export interface AttackCase {
  name: string;
  role: string;
  document: string;
  /** Root field whose value the outcome describes. */
  field: string;
  outcome: Outcome;
  /** True when the role has the permission, so the request must succeed, just empty. */
  mustSucceed: boolean;
}

/** The only roles that act for a tenant; platform_admin spans tenants by design. */
export const tenantRoles = ['user', 'tenant_admin'] as const;

function literal(value: string): string {
  return /^\d+$/.test(value) ? value : JSON.stringify(value);
}

function selectableColumns(entry: TableEntry, role: string, schema: DatabaseSchema): string[] {
  const permission = entry.select_permissions?.find((item) => item.role === role)?.permission;
  if (permission === undefined) return [];
  const table = `${entry.table.schema}.${entry.table.name}`;
  const columns =
    permission.columns === '*' ? [...(schema.get(table)?.columns ?? [])] : permission.columns;
  return columns.filter((column) => !isSecretColumn(column));
}

/** Sample values for insert and update attacks, by column name. */
const sampleValues: Record<string, unknown> = {
  email: 'planted@acme.test',
  name: 'planted',
  description: 'planted',
  first_name: 'Planted',
  last_name: 'Planted',
  preferred_language: 'en',
  status: 'active',
  enabled: false,
  config: {},
  conditions: {},
  resource: 'planted',
  action: 'read',
  domain: 'planted.test',
  plan: 'standard',
  configuration: {},
};

function graphqlValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return '{}';
  return String(value);
}

/** Builds an insert object for `table` that names tenant B and B's rows in every reference. */
function plantedObject(
  table: string,
  columns: string[],
  schema: DatabaseSchema,
  victimIds: Map<string, string>,
): string {
  const references = schema.get(table)?.references ?? new Map<string, string>();
  const fields: string[] = [];
  for (const column of columns) {
    const target = references.get(column)?.replace(/^public\./, '');
    if (column === 'tenant_id') fields.push(`tenant_id: "${tenants.b}"`);
    else if (target !== undefined && victimIds.has(target)) {
      fields.push(`${column}: ${literal(victimIds.get(target) ?? '')}`);
    } else if (column in sampleValues)
      fields.push(`${column}: ${graphqlValue(sampleValues[column])}`);
  }
  return `{${fields.join(', ')}}`;
}

/** Generates the select, _by_pk, aggregate and relationship attacks on one table. */
function readCases(
  entries: TableEntry[],
  entry: TableEntry,
  role: string,
  schema: DatabaseSchema,
  victimIds: Map<string, string>,
): AttackCase[] {
  const name = entry.table.name;
  const table = `public.${name}`;
  const column = tenantColumn(table, schema);
  const columns = selectableColumns(entry, role, schema);
  const permitted = columns.length > 0;
  const selection = (permitted ? columns : ['__typename']).join(' ');
  const cases: AttackCase[] = [];
  const base = { role, mustSucceed: permitted };
  if (column !== undefined) {
    cases.push({
      ...base,
      name: `${role} select ${name} of tenant B`,
      document: `{ ${name}(where: {${column}: {_eq: "${tenants.b}"}}) { ${selection} } }`,
      field: name,
      outcome: 'no-rows',
    });
  }
  cases.push({
    ...base,
    name: `${role} select every visible ${name}`,
    document: `{ ${name} { ${selection} } }`,
    field: name,
    outcome: 'no-leak',
  });
  const id = victimIds.get(name);
  if (id !== undefined && schema.get(table)?.columns.has('id') === true) {
    cases.push({
      ...base,
      name: `${role} select ${name}_by_pk of tenant B`,
      document: `{ ${name}_by_pk(id: ${literal(id)}) { ${selection} } }`,
      field: `${name}_by_pk`,
      outcome: 'null',
    });
  }
  const permission = entry.select_permissions?.find((item) => item.role === role)?.permission;
  if (column !== undefined && permission?.allow_aggregations === true) {
    cases.push({
      ...base,
      name: `${role} aggregate ${name} of tenant B`,
      document: `{ ${name}_aggregate(where: {${column}: {_eq: "${tenants.b}"}}) { aggregate { count } } }`,
      field: `${name}_aggregate`,
      outcome: 'zero-count',
    });
  }
  const relationships = [
    ...(entry.object_relationships ?? []),
    ...(entry.array_relationships ?? []),
  ];
  for (const relationship of relationships) {
    const target = relationshipTarget(entry, relationship.name, schema);
    const targetEntry = entries.find((item) => `public.${item.table.name}` === target);
    const targetColumns =
      targetEntry === undefined ? [] : selectableColumns(targetEntry, role, schema);
    cases.push({
      ...base,
      mustSucceed: permitted && targetColumns.length > 0,
      name: `${role} follow ${name}.${relationship.name}`,
      document: `{ ${name} { ${relationship.name} { ${['__typename', ...targetColumns].join(' ')} } } }`,
      field: name,
      outcome: 'no-leak',
    });
  }
  return cases;
}

/** Generates the insert, update and delete attacks on one table, by filter and by key. */
function writeCases(
  entry: TableEntry,
  role: string,
  schema: DatabaseSchema,
  victimIds: Map<string, string>,
): AttackCase[] {
  const name = entry.table.name;
  const table = `public.${name}`;
  const column = tenantColumn(table, schema) ?? 'tenant_id';
  const id = victimIds.get(name);
  const cases: AttackCase[] = [];
  const insert = entry.insert_permissions?.find((item) => item.role === role)?.permission;
  const insertColumns = [
    'tenant_id',
    ...(insert?.columns === '*'
      ? [...(schema.get(table)?.columns ?? [])]
      : (insert?.columns ?? [])),
  ];
  const object = plantedObject(table, [...new Set(insertColumns)], schema, victimIds);
  cases.push({
    name: `${role} insert ${name} into tenant B`,
    role,
    document: `mutation { insert_${name}(objects: [${object}]) { affected_rows } }`,
    field: `insert_${name}`,
    outcome: 'no-leak',
    mustSucceed: false,
  });
  const update = entry.update_permissions?.find((item) => item.role === role)?.permission;
  const updatable = update?.columns === '*' ? [] : (update?.columns ?? []);
  const setColumn = updatable.find((item) => item in sampleValues && item !== column) ?? 'id';
  const set = `{${setColumn}: ${graphqlValue(sampleValues[setColumn] ?? tenants.a)}}`;
  const where = `{${column}: {_eq: "${tenants.b}"}}`;
  cases.push(
    {
      name: `${role} update ${name} of tenant B`,
      role,
      document: `mutation { update_${name}(where: ${where}, _set: ${set}) { affected_rows } }`,
      field: `update_${name}`,
      outcome: 'zero-affected',
      mustSucceed: update !== undefined,
    },
    {
      name: `${role} delete ${name} of tenant B`,
      role,
      document: `mutation { delete_${name}(where: ${where}) { affected_rows } }`,
      field: `delete_${name}`,
      outcome: 'zero-affected',
      mustSucceed: entry.delete_permissions?.some((item) => item.role === role) === true,
    },
  );
  if (id !== undefined) {
    cases.push(
      {
        name: `${role} update ${name}_by_pk of tenant B`,
        role,
        document: `mutation { update_${name}_by_pk(pk_columns: {id: ${literal(id)}}, _set: ${set}) { __typename } }`,
        field: `update_${name}_by_pk`,
        outcome: 'null',
        mustSucceed: false,
      },
      {
        name: `${role} delete ${name}_by_pk of tenant B`,
        role,
        document: `mutation { delete_${name}_by_pk(id: ${literal(id)}) { __typename } }`,
        field: `delete_${name}_by_pk`,
        outcome: 'null',
        mustSucceed: false,
      },
    );
  }
  return cases;
}

/** Generates the table attacks for every tracked table and tenant role. */
export function tableCases(
  metadata: Metadata,
  schema: DatabaseSchema,
  victimIds: Map<string, string>,
): AttackCase[] {
  const entries = metadata.sources.flatMap((source) => source.tables);
  return tenantRoles.flatMap((role) =>
    entries.flatMap((entry) => [
      ...readCases(entries, entry, role, schema, victimIds),
      ...writeCases(entry, role, schema, victimIds),
    ]),
  );
}
