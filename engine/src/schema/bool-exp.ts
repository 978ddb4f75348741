import {
  type GraphQLInputFieldConfigMap,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
} from 'graphql';
import { selectableColumns, visibleRelationships } from './access.js';
import { comparisonType } from './comparison.js';
import type { BuildContext } from './context.js';
import type { TableInfo } from './model.js';

/** The `<table>_bool_exp` input type over what the role may read. */
export function boolExpType(context: BuildContext, table: TableInfo): GraphQLInputObjectType {
  const name = `${table.typeName}_bool_exp`;
  return context.memo(
    name,
    () =>
      new GraphQLInputObjectType({
        name,
        description: `Boolean expression to filter rows from the table "${table.table.name}". All fields are combined with a logical 'AND'.`,
        fields: () => {
          const self = boolExpType(context, table);
          const fields: GraphQLInputFieldConfigMap = {
            _and: { type: new GraphQLList(new GraphQLNonNull(self)) },
            _not: { type: self },
            _or: { type: new GraphQLList(new GraphQLNonNull(self)) },
          };
          for (const column of selectableColumns(table, context.role)) {
            fields[column.fieldName] = { type: comparisonType(context, column) };
          }
          const related = visibleRelationships(table, context.role, context.catalog.tables);
          for (const { relationship, target } of related) {
            fields[relationship.name] = { type: boolExpType(context, target) };
          }
          return fields;
        },
      }),
  );
}
