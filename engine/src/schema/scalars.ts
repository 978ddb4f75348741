import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLInt,
  GraphQLScalarType,
  GraphQLString,
  Kind,
  type ValueNode,
} from 'graphql';
import type { ColumnInfo } from '../database/introspect.js';

/** GraphQL scalar names Hasura gives Postgres base types; other types keep their own name. */
const scalarNames: Record<string, string> = {
  int2: 'smallint',
  int4: 'Int',
  int8: 'bigint',
  float4: 'Float',
  float8: 'float8',
  numeric: 'numeric',
  bool: 'Boolean',
  text: 'String',
  varchar: 'String',
  bpchar: 'bpchar',
  name: 'name',
  citext: 'citext',
  uuid: 'uuid',
  timestamptz: 'timestamptz',
  timestamp: 'timestamp',
  date: 'date',
  time: 'time',
  timetz: 'timetz',
  json: 'json',
  jsonb: 'jsonb',
};

/** `real` is the one Postgres type Hasura maps to a GraphQL built-in besides `int4` and `bool`. */
const builtinOverrides: Record<string, string> = { float4: 'Float' };

/** Returns the GraphQL scalar name for a column's base type. */
export function scalarName(column: Pick<ColumnInfo, 'baseType'>): string {
  return builtinOverrides[column.baseType] ?? scalarNames[column.baseType] ?? column.baseType;
}

/** Scalars whose values Postgres returns as numbers and that stringification turns to text. */
export const stringifiedScalars = new Set(['bigint', 'numeric', 'float8', 'money']);

/** Base types ordered numerically, so they get `sum`, `avg` and the like. */
export const numericBaseTypes = new Set([
  'int2',
  'int4',
  'int8',
  'float4',
  'float8',
  'numeric',
  'money',
]);

/** Scalars whose comparison type gets the text operators such as `_like`. */
export const textScalars = new Set(['String', 'citext', 'bpchar', 'name']);

function literalToJson(node: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (node.kind) {
    case Kind.NULL:
      return null;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.LIST:
      return node.values.map((value) => literalToJson(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(
        node.fields.map((field) => [field.name.value, literalToJson(field.value, variables)]),
      );
    case Kind.VARIABLE:
      return variables?.[node.name.value];
  }
}

/** A Postgres-backed scalar that passes values through for Postgres to parse. */
export function passThroughScalar(name: string, description?: string): GraphQLScalarType {
  return new GraphQLScalarType({
    name,
    description: description ?? null,
    serialize: (value) => value,
    parseValue: (value) => value,
    parseLiteral: literalToJson,
  });
}

const builtins = new Map<string, GraphQLScalarType>([
  ['Int', GraphQLInt],
  ['Float', GraphQLFloat],
  ['String', GraphQLString],
  ['Boolean', GraphQLBoolean],
]);

/** Returns one shared scalar per name for a schema, creating custom ones on first use. */
export function scalarRegistry(): (name: string) => GraphQLScalarType {
  const made = new Map<string, GraphQLScalarType>(builtins);
  return (name) => {
    let scalar = made.get(name);
    if (scalar === undefined) {
      scalar = passThroughScalar(name);
      made.set(name, scalar);
    }
    return scalar;
  };
}
