import {
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  GraphQLList,
  GraphQLNonNull,
} from 'graphql';
import { selectRule } from './access.js';
import { aggregateType } from './aggregate-types.js';
import { computedFieldArgs } from './computed-field-args.js';
import type { BuildContext } from './context.js';
import type { TableInfo } from './model.js';
import type { RootField } from './root-field.js';
import { scalarName } from './scalars.js';
import { selectArguments, tableObjectType } from './table-types.js';

/** Arguments of `_by_pk` fields: each primary key column, required. */
export function primaryKeyArguments(
  context: BuildContext,
  table: TableInfo,
): GraphQLFieldConfigArgumentMap | undefined {
  if (table.shape.primaryKey.length === 0) return undefined;
  const args: GraphQLFieldConfigArgumentMap = {};
  for (const name of table.shape.primaryKey) {
    const column = table.columnsByName.get(name);
    if (column === undefined) return undefined;
    const scalar = context.scalar(scalarName(column));
    args[column.fieldName] = { type: new GraphQLNonNull(scalar) };
  }
  return args;
}

/** Adds the root fields of tracked functions whose returned table the role may read. */
function addFunctionFields(
  context: BuildContext,
  fields: GraphQLFieldConfigMap<unknown, unknown>,
  index: Map<string, RootField>,
): void {
  for (const info of context.catalog.functions ?? []) {
    const table = context.catalog.tables.get(info.target);
    const rule = table === undefined ? undefined : selectRule(table, context.role);
    if (table === undefined || rule === undefined) continue;
    const args = { ...computedFieldArgs(context, info), ...selectArguments(context, table) };
    const name = info.function.name;
    fields[info.fieldName] = {
      type: new GraphQLNonNull(
        new GraphQLList(new GraphQLNonNull(tableObjectType(context, table))),
      ),
      description:
        info.description ?? `execute function "${name}" which returns "${table.table.name}"`,
      args,
    };
    index.set(info.fieldName, { kind: 'function', function: info, table });
    if (!rule.allowAggregations) continue;
    fields[`${info.fieldName}_aggregate`] = {
      type: new GraphQLNonNull(aggregateType(context, table)),
      description:
        info.description ??
        `execute function "${name}" and query aggregates on result of table type "${table.table.name}"`,
      args,
    };
    index.set(`${info.fieldName}_aggregate`, { kind: 'function_aggregate', function: info, table });
  }
}

/** Adds the select root fields of every table the role may read, then tracked functions'. */
export function addQueryFields(
  context: BuildContext,
  fields: GraphQLFieldConfigMap<unknown, unknown>,
  index: Map<string, RootField>,
): void {
  for (const table of context.catalog.tables.values()) {
    const rule = selectRule(table, context.role);
    if (rule === undefined) continue;
    const allowed = (name: 'select' | 'select_by_pk' | 'select_aggregate'): boolean =>
      rule.queryRootFields === undefined || rule.queryRootFields.has(name);
    const names = table.rootFields;
    const objectType = tableObjectType(context, table);

    if (allowed('select')) {
      fields[names.select] = {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(objectType))),
        description:
          table.rootComments.select ?? `fetch data from the table: "${table.table.name}"`,
        args: selectArguments(context, table),
      };
      index.set(names.select, { kind: 'select', table });
    }
    if (rule.allowAggregations && allowed('select_aggregate')) {
      fields[names.selectAggregate] = {
        type: new GraphQLNonNull(aggregateType(context, table)),
        description:
          table.rootComments.selectAggregate ??
          `fetch aggregated fields from the table: "${table.table.name}"`,
        args: selectArguments(context, table),
      };
      index.set(names.selectAggregate, { kind: 'select_aggregate', table });
    }
    const pkArgs = primaryKeyArguments(context, table);
    const pkReadable = table.shape.primaryKey.every((column) => rule.columns.has(column));
    if (pkArgs !== undefined && pkReadable && allowed('select_by_pk')) {
      fields[names.selectByPk] = {
        type: objectType,
        description:
          table.rootComments.selectByPk ??
          `fetch data from the table: "${table.table.name}" using primary key columns`,
        args: pkArgs,
      };
      index.set(names.selectByPk, { kind: 'select_by_pk', table });
    }
  }
  addFunctionFields(context, fields, index);
}
