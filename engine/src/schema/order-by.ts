import { GraphQLEnumType, type GraphQLInputFieldConfigMap, GraphQLInputObjectType } from 'graphql';
import { selectableColumns, selectRule, visibleRelationships } from './access.js';
import { isComparable, isNumeric } from './aggregate-types.js';
import type { BuildContext } from './context.js';
import type { TableInfo } from './model.js';

/** Directions of Hasura's `order_by` enum and the SQL each one stands for. */
export const orderDirections: Record<string, string> = {
  asc: 'ASC NULLS LAST',
  asc_nulls_first: 'ASC NULLS FIRST',
  asc_nulls_last: 'ASC NULLS LAST',
  desc: 'DESC NULLS FIRST',
  desc_nulls_first: 'DESC NULLS FIRST',
  desc_nulls_last: 'DESC NULLS LAST',
};

const directionDescriptions: Record<string, string> = {
  asc: 'in ascending order, nulls last',
  asc_nulls_first: 'in ascending order, nulls first',
  asc_nulls_last: 'in ascending order, nulls last',
  desc: 'in descending order, nulls first',
  desc_nulls_first: 'in descending order, nulls first',
  desc_nulls_last: 'in descending order, nulls last',
};

export function orderByEnum(context: BuildContext): GraphQLEnumType {
  return context.memo(
    'order_by',
    () =>
      new GraphQLEnumType({
        name: 'order_by',
        description: 'column ordering options',
        values: Object.fromEntries(
          Object.keys(orderDirections).map((key) => [
            key,
            { value: key, description: directionDescriptions[key] ?? null },
          ]),
        ),
      }),
  );
}

/** `<table>_order_by`: columns, object relationships and array relationship aggregates. */
export function orderByType(context: BuildContext, table: TableInfo): GraphQLInputObjectType {
  const name = `${table.typeName}_order_by`;
  return context.memo(
    name,
    () =>
      new GraphQLInputObjectType({
        name,
        description: `Ordering options when selecting data from "${table.table.name}".`,
        fields: () => orderByFields(context, table),
      }),
  );
}

/**
 * Whether `<table>_order_by` has any field for the role. A role that reads no column and no
 * relationship gets no `order_by` argument, because GraphQL rejects an empty input type.
 */
export function hasOrderByFields(context: BuildContext, table: TableInfo): boolean {
  if (selectableColumns(table, context.role).length > 0) return true;
  const related = visibleRelationships(table, context.role, context.catalog.tables);
  return related.some(
    ({ relationship, target }) =>
      (relationship.kind === 'object' && hasOrderByFields(context, target)) ||
      (relationship.kind === 'array' && selectRule(target, context.role)?.allowAggregations),
  );
}

function orderByFields(context: BuildContext, table: TableInfo): GraphQLInputFieldConfigMap {
  const direction = orderByEnum(context);
  const fields: GraphQLInputFieldConfigMap = {};
  for (const column of selectableColumns(table, context.role)) {
    fields[column.fieldName] = { type: direction };
  }
  const related = visibleRelationships(table, context.role, context.catalog.tables);
  for (const { relationship, target } of related) {
    if (relationship.kind === 'object' && hasOrderByFields(context, target)) {
      fields[relationship.name] = { type: orderByType(context, target) };
    } else if (
      relationship.kind === 'array' &&
      selectRule(target, context.role)?.allowAggregations
    ) {
      fields[`${relationship.name}_aggregate`] = {
        type: aggregateOrderByType(context, target),
      };
    }
  }
  return fields;
}

/** `<table>_aggregate_order_by`, for ordering by an array relationship's aggregates. */
export function aggregateOrderByType(
  context: BuildContext,
  table: TableInfo,
): GraphQLInputObjectType {
  const name = `${table.typeName}_aggregate_order_by`;
  return context.memo(
    name,
    () =>
      new GraphQLInputObjectType({
        name,
        description: `order by aggregate values of table "${table.table.name}"`,
        fields: () => {
          const direction = orderByEnum(context);
          const fields: GraphQLInputFieldConfigMap = { count: { type: direction } };
          const columns = selectableColumns(table, context.role);
          for (const op of orderAggregates) {
            const usable =
              op === 'max' || op === 'min'
                ? columns.filter(isComparable)
                : columns.filter(isNumeric);
            if (usable.length > 0) fields[op] = { type: columnOrderType(context, table, op) };
          }
          return fields;
        },
      }),
  );
}

/** Aggregates an array relationship can be ordered by. */
export const orderAggregates = [
  'avg',
  'max',
  'min',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'sum',
  'var_pop',
  'var_samp',
  'variance',
] as const;

function columnOrderType(
  context: BuildContext,
  table: TableInfo,
  op: (typeof orderAggregates)[number],
): GraphQLInputObjectType {
  const name = `${table.typeName}_${op}_order_by`;
  return context.memo(
    name,
    () =>
      new GraphQLInputObjectType({
        name,
        description: `order by ${op}() on columns of table "${table.table.name}"`,
        fields: () =>
          Object.fromEntries(
            selectableColumns(table, context.role)
              .filter(op === 'max' || op === 'min' ? isComparable : isNumeric)
              .map((column) => [column.fieldName, { type: orderByEnum(context) }]),
          ),
      }),
  );
}
