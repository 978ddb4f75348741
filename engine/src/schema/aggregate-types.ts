import {
  GraphQLBoolean,
  type GraphQLFieldConfigMap,
  GraphQLFloat,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
} from 'graphql';
import { selectableColumns } from './access.js';
import type { BuildContext } from './context.js';
import type { ColumnField, TableInfo } from './model.js';
import { numericBaseTypes, scalarName } from './scalars.js';
import { selectColumnEnum, tableObjectType } from './table-types.js';

const comparableBaseTypes = new Set([
  ...numericBaseTypes,
  'text',
  'varchar',
  'bpchar',
  'citext',
  'name',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
]);

/** Whether `max` and `min` apply to the column. */
export function isComparable(column: ColumnField): boolean {
  return !column.isArray && comparableBaseTypes.has(column.baseType);
}

export function isNumeric(column: ColumnField): boolean {
  return !column.isArray && numericBaseTypes.has(column.baseType);
}

/** Aggregate functions over numeric columns that return a float. */
export const floatAggregates = [
  'avg',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'var_pop',
  'var_samp',
  'variance',
] as const;

/** `<table>_aggregate`: `{ aggregate, nodes }`. */
export function aggregateType(context: BuildContext, table: TableInfo): GraphQLObjectType {
  const name = `${table.typeName}_aggregate`;
  return context.memo(
    name,
    () =>
      new GraphQLObjectType({
        name,
        description: `aggregated selection of "${table.table.name}"`,
        fields: () => ({
          aggregate: { type: aggregateFieldsType(context, table) },
          nodes: {
            type: new GraphQLNonNull(
              new GraphQLList(new GraphQLNonNull(tableObjectType(context, table))),
            ),
          },
        }),
      }),
  );
}

function aggregateFieldsType(context: BuildContext, table: TableInfo): GraphQLObjectType {
  const name = `${table.typeName}_aggregate_fields`;
  return context.memo(
    name,
    () =>
      new GraphQLObjectType({
        name,
        description: `aggregate fields of "${table.table.name}"`,
        fields: () => {
          const columns = selectableColumns(table, context.role);
          const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
          const numeric = columns.filter(isNumeric);
          const comparable = columns.filter(isComparable);
          for (const op of floatAggregates) {
            if (numeric.length > 0) fields[op] = { type: opFieldsType(context, table, op) };
          }
          fields.count = {
            type: new GraphQLNonNull(GraphQLInt),
            args: {
              columns: {
                type: new GraphQLList(new GraphQLNonNull(selectColumnEnum(context, table))),
              },
              distinct: { type: GraphQLBoolean },
            },
          };
          if (comparable.length > 0) {
            fields.max = { type: opFieldsType(context, table, 'max') };
            fields.min = { type: opFieldsType(context, table, 'min') };
          }
          if (numeric.length > 0) fields.sum = { type: opFieldsType(context, table, 'sum') };
          return fields;
        },
      }),
  );
}

function opFieldsType(context: BuildContext, table: TableInfo, op: string): GraphQLObjectType {
  const name = `${table.typeName}_${op}_fields`;
  return context.memo(
    name,
    () =>
      new GraphQLObjectType({
        name,
        description: `aggregate ${op} on columns`,
        fields: () => {
          const columns = selectableColumns(table, context.role);
          const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
          const picked =
            op === 'max' || op === 'min' ? columns.filter(isComparable) : columns.filter(isNumeric);
          for (const column of picked) {
            const type =
              op === 'max' || op === 'min' || op === 'sum'
                ? context.scalar(scalarName(column))
                : GraphQLFloat;
            fields[column.fieldName] = { type };
          }
          return fields;
        },
      }),
  );
}
