import {
  type GraphQLFieldConfigArgumentMap,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLString,
} from 'graphql';
import type { BuildContext } from './context.js';
import type { TableInfo } from './model.js';
import { updatableColumns } from './mutation-types.js';

/** Hasura's update operators on jsonb columns, with the SQL operator each applies. */
export const jsonbOperators = [
  {
    name: '_append',
    input: '_append_input',
    value: 'jsonb',
    sql: '||',
    description: 'append existing jsonb value of filtered columns with new jsonb value',
  },
  {
    name: '_prepend',
    input: '_prepend_input',
    value: 'jsonb',
    sql: '||',
    description: 'prepend existing jsonb value of filtered columns with new jsonb value',
  },
  {
    name: '_delete_key',
    input: '_delete_key_input',
    value: 'text',
    sql: '-',
    description:
      'delete key/value pair or string element. key/value pairs are matched based on their key value',
  },
  {
    name: '_delete_elem',
    input: '_delete_elem_input',
    value: 'integer',
    sql: '-',
    description:
      'delete the array element with specified index (negative integers count from the end). throws an error if top level container is not an array',
  },
  {
    name: '_delete_at_path',
    input: '_delete_at_path_input',
    value: 'text[]',
    sql: '#-',
    description:
      'delete the field or element with specified path (for JSON arrays, negative integers count from the end)',
  },
] as const;

export type JsonbOperator = (typeof jsonbOperators)[number];

function valueType(context: BuildContext, operator: JsonbOperator): GraphQLInputType {
  if (operator.value === 'jsonb') return context.scalar('jsonb');
  if (operator.value === 'integer') return GraphQLInt;
  if (operator.value === 'text[]') return new GraphQLList(new GraphQLNonNull(GraphQLString));
  return GraphQLString;
}

/** Returns the `_append`, `_prepend` and `_delete_*` arguments of updates, when a jsonb column is updatable. */
export function jsonbArguments(
  context: BuildContext,
  table: TableInfo,
): GraphQLFieldConfigArgumentMap {
  const columns = updatableColumns(table, context.role).filter(
    (column) => column.baseType === 'jsonb' && !column.isArray,
  );
  if (columns.length === 0) return {};
  const args: GraphQLFieldConfigArgumentMap = {};
  for (const operator of jsonbOperators) {
    const name = `${table.typeName}${operator.input}`;
    const type = context.memo(
      name,
      () =>
        new GraphQLInputObjectType({
          name,
          description: operator.description,
          fields: () =>
            Object.fromEntries(
              columns.map((column) => [column.fieldName, { type: valueType(context, operator) }]),
            ),
        }),
    );
    args[operator.name] = { type, description: operator.description };
  }
  return args;
}
