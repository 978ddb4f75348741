import {
  GraphQLBoolean,
  type GraphQLInputFieldConfigMap,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLString,
} from 'graphql';
import type { BuildContext } from './context.js';
import type { ColumnField } from './model.js';
import { scalarName, textScalars } from './scalars.js';

const textOperators = [
  '_like',
  '_nlike',
  '_ilike',
  '_nilike',
  '_similar',
  '_nsimilar',
  '_regex',
  '_nregex',
  '_iregex',
  '_niregex',
];

/** The comparison input type of a column, such as `uuid_comparison_exp`. */
export function comparisonType(context: BuildContext, column: ColumnField): GraphQLInputObjectType {
  const scalar = context.scalar(scalarName(column));
  const valueType: GraphQLInputType = column.isArray
    ? new GraphQLList(new GraphQLNonNull(scalar))
    : scalar;
  const name = column.isArray
    ? `${scalar.name}_array_comparison_exp`
    : `${scalar.name}_comparison_exp`;
  return context.memo(
    name,
    () =>
      new GraphQLInputObjectType({
        name,
        description: `Boolean expression to compare columns of type "${scalar.name}". All fields are combined with logical 'AND'.`,
        fields: () => comparisonFields(scalar.name, valueType, column.isArray),
      }),
  );
}

/** Operator names a comparison type offers, by the kind of its scalar. */
export function operatorsFor(scalar: string, isArray: boolean): string[] {
  const operators = ['_eq', '_gt', '_gte', '_in', '_is_null', '_lt', '_lte', '_neq', '_nin'];
  if (isArray || scalar === 'jsonb') operators.push('_contained_in', '_contains');
  if (!isArray && scalar === 'jsonb') operators.push('_has_key', '_has_keys_all', '_has_keys_any');
  if (!isArray && textScalars.has(scalar)) operators.push(...textOperators);
  return operators.sort();
}

function comparisonFields(
  scalar: string,
  valueType: GraphQLInputType,
  isArray: boolean,
): GraphQLInputFieldConfigMap {
  const keys = new GraphQLList(new GraphQLNonNull(GraphQLString));
  const fields: GraphQLInputFieldConfigMap = {};
  for (const operator of operatorsFor(scalar, isArray)) {
    if (operator === '_is_null') fields[operator] = { type: GraphQLBoolean };
    else if (operator === '_in' || operator === '_nin') {
      fields[operator] = { type: new GraphQLList(new GraphQLNonNull(valueType)) };
    } else if (operator === '_has_key') fields[operator] = { type: GraphQLString };
    else if (operator === '_has_keys_all' || operator === '_has_keys_any') {
      fields[operator] = { type: keys };
    } else fields[operator] = { type: valueType };
  }
  return fields;
}

/** Operators that compare a column with one value, and the SQL operator each maps to. */
export const binaryOperators: Record<string, string> = {
  _eq: '=',
  _neq: '<>',
  _gt: '>',
  _lt: '<',
  _gte: '>=',
  _lte: '<=',
  _like: 'LIKE',
  _nlike: 'NOT LIKE',
  _ilike: 'ILIKE',
  _nilike: 'NOT ILIKE',
  _similar: 'SIMILAR TO',
  _nsimilar: 'NOT SIMILAR TO',
  _regex: '~',
  _nregex: '!~',
  _iregex: '~*',
  _niregex: '!~*',
  _contains: '@>',
  _contained_in: '<@',
  _has_key: '?',
};

export const allTextOperators = new Set(textOperators);
