import {
  GraphQLBoolean,
  type GraphQLFieldConfigMap,
  GraphQLFloat,
  GraphQLInt,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';
import type { Metadata } from '../metadata/types.js';
import { addActionFields } from './action-types.js';
import { buildContext } from './context.js';
import type { Catalog } from './model.js';
import { addMutationFields } from './mutation-root.js';
import { addQueryFields } from './query-root.js';
import type { RootField } from './root-field.js';

/** One role's GraphQL schema and what each root field does. */
export interface RoleSchema {
  role: string;
  /** Whether backend-only insert, update and delete permissions are in this schema. */
  backendOnly: boolean;
  /** Key of this schema in caches: the role, marked when backend-only permissions apply. */
  cacheKey: string;
  schema: GraphQLSchema;
  query: Map<string, RootField>;
  mutation: Map<string, RootField>;
}

/** Builds the GraphQL schema of one role. */
export function buildRoleSchema(
  catalog: Catalog,
  metadata: Metadata,
  role: string,
  backendOnly = false,
): RoleSchema {
  const context = buildContext(catalog, role, backendOnly);
  const queryFields: GraphQLFieldConfigMap<unknown, unknown> = {};
  const mutationFields: GraphQLFieldConfigMap<unknown, unknown> = {};
  const query = new Map<string, RootField>();
  const mutation = new Map<string, RootField>();

  addQueryFields(context, queryFields, query);
  addMutationFields(context, mutationFields, mutation);
  addActionFields(context, metadata, { queryFields, mutationFields, query, mutation });

  if (Object.keys(queryFields).length === 0) {
    queryFields.no_queries_available = { type: new GraphQLNonNull(GraphQLString) };
  }
  const queryRoot = new GraphQLObjectType({ name: 'query_root', fields: queryFields });
  const mutationRoot =
    Object.keys(mutationFields).length === 0
      ? undefined
      : new GraphQLObjectType({ name: 'mutation_root', fields: mutationFields });
  const subscriptionRoot = new GraphQLObjectType({
    name: 'subscription_root',
    fields: Object.fromEntries(
      Object.entries(queryFields).filter(([name]) => query.get(name)?.kind !== 'action'),
    ),
  });
  const schema = new GraphQLSchema({
    // Hasura's schemas always contain the built-in scalars, so variables may use them.
    types: [GraphQLInt, GraphQLFloat, GraphQLString, GraphQLBoolean],
    query: queryRoot,
    mutation: mutationRoot,
    subscription: subscriptionRoot,
  });
  const cacheKey = backendOnly ? `${role}\u0000backend-only` : role;
  return { role, backendOnly, cacheKey, schema, query, mutation };
}
