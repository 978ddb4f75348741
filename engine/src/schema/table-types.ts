import {
  GraphQLEnumType,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
} from 'graphql';
import {
  selectableColumns,
  selectableComputedFields,
  selectRule,
  visibleRelationships,
} from './access.js';
import { aggregateType } from './aggregate-types.js';
import { boolExpType } from './bool-exp.js';
import { computedFieldArgs } from './computed-field-args.js';
import type { BuildContext } from './context.js';
import type { ColumnField, TableInfo } from './model.js';
import { hasOrderByFields, orderByType } from './order-by.js';
import { scalarName } from './scalars.js';

/** Returns the output type of a column: its scalar, a list for arrays, non-null unless nullable. */
export function columnOutputType(context: BuildContext, column: ColumnField): GraphQLOutputType {
  const scalar = context.scalar(scalarName(column));
  const base = column.isArray ? new GraphQLList(new GraphQLNonNull(scalar)) : scalar;
  return column.nullable ? base : new GraphQLNonNull(base);
}

/** `<table>_select_column`: the readable columns, for `distinct_on` and `count(columns:)`. */
export function selectColumnEnum(context: BuildContext, table: TableInfo): GraphQLEnumType {
  const name = `${table.typeName}_select_column`;
  return context.memo(
    name,
    () =>
      new GraphQLEnumType({
        name,
        description: `select columns of table "${table.table.name}"`,
        values: Object.fromEntries(
          selectableColumns(table, context.role).map((column) => [
            column.fieldName,
            { value: column.name, description: 'column name' },
          ]),
        ),
      }),
  );
}

/** Arguments of every list selection: `distinct_on`, `limit`, `offset`, `order_by`, `where`. */
export function selectArguments(
  context: BuildContext,
  table: TableInfo,
): GraphQLFieldConfigArgumentMap {
  const args: GraphQLFieldConfigArgumentMap = {};
  // GraphQL rejects empty enums and input types, so a role without columns loses these.
  if (selectableColumns(table, context.role).length > 0) {
    args.distinct_on = {
      type: new GraphQLList(new GraphQLNonNull(selectColumnEnum(context, table))),
      description: 'distinct select on columns',
    };
  }
  args.limit = { type: GraphQLInt, description: 'limit the number of rows returned' };
  args.offset = { type: GraphQLInt, description: 'skip the first n rows. Use only with order_by' };
  if (hasOrderByFields(context, table)) {
    args.order_by = {
      type: new GraphQLList(new GraphQLNonNull(orderByType(context, table))),
      description: 'sort the rows by one or more columns',
    };
  }
  args.where = { type: boolExpType(context, table), description: 'filter the rows returned' };
  return args;
}

/** Returns the object type of a table's rows, with its relationships. */
export function tableObjectType(context: BuildContext, table: TableInfo): GraphQLObjectType {
  return context.memo(
    table.typeName,
    () =>
      new GraphQLObjectType({
        name: table.typeName,
        description: table.description ?? `columns and relationships of "${table.table.name}"`,
        fields: () => tableFields(context, table),
      }),
  );
}

function tableFields(
  context: BuildContext,
  table: TableInfo,
): GraphQLFieldConfigMap<unknown, unknown> {
  const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
  for (const column of selectableColumns(table, context.role)) {
    fields[column.fieldName] = {
      type: columnOutputType(context, column),
      description: column.description,
    };
  }
  for (const { relationship, target } of visibleRelationships(
    table,
    context.role,
    context.catalog.tables,
  )) {
    const targetType = tableObjectType(context, target);
    if (relationship.kind === 'object') {
      fields[relationship.name] = {
        type: objectRelationshipRequired(table, relationship.mapping)
          ? new GraphQLNonNull(targetType)
          : targetType,
        description: relationship.description ?? 'An object relationship',
      };
      continue;
    }
    fields[relationship.name] = {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(targetType))),
      description: relationship.description ?? 'An array relationship',
      args: selectArguments(context, target),
    };
    if (selectRule(target, context.role)?.allowAggregations) {
      fields[`${relationship.name}_aggregate`] = {
        type: new GraphQLNonNull(aggregateType(context, target)),
        description: relationship.description ?? 'An aggregate relationship',
        args: selectArguments(context, target),
      };
    }
  }
  for (const computed of selectableComputedFields(table, context.role, context.catalog.tables)) {
    const target =
      computed.target === undefined ? undefined : context.catalog.tables.get(computed.target);
    if (target !== undefined) {
      fields[computed.name] = {
        type: new GraphQLList(new GraphQLNonNull(tableObjectType(context, target))),
        description: computed.description ?? 'A computed field, executes function',
        args: {
          ...computedFieldArgs(context, computed, {
            typeName: table.typeName,
            fieldName: computed.name,
          }),
          ...selectArguments(context, target),
        },
      };
    } else if (computed.scalar !== undefined) {
      const scalar = context.scalar(scalarName(computed.scalar));
      fields[computed.name] = {
        type: computed.scalar.isArray ? new GraphQLList(new GraphQLNonNull(scalar)) : scalar,
        description: computed.description ?? 'A computed field, executes function',
        args: computedFieldArgs(context, computed, {
          typeName: table.typeName,
          fieldName: computed.name,
        }),
      };
    }
  }
  return fields;
}

/**
 * Hasura makes an object relationship non-null when it follows a foreign key from columns
 * that are all non-null, because a matching row must then exist.
 */
function objectRelationshipRequired(table: TableInfo, mapping: [string, string][]): boolean {
  const locals = mapping.map(([local]) => local);
  const isForeignKey = table.shape.foreignKeys.some(
    (key) =>
      key.columns.length === locals.length &&
      key.columns.every((column) => locals.includes(column)),
  );
  return (
    isForeignKey && locals.every((local) => table.columnsByName.get(local)?.nullable === false)
  );
}
