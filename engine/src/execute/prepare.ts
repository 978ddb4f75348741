import {
  type DocumentNode,
  FieldsOnCorrectTypeRule,
  type FragmentDefinitionNode,
  GraphQLError,
  getVariableValues,
  Kind,
  KnownArgumentNamesRule,
  NoUnusedFragmentsRule,
  NoUnusedVariablesRule,
  type OperationDefinitionNode,
  ProvidedRequiredArgumentsRule,
  parse,
  print,
  ScalarLeafsRule,
  specifiedRules,
  ValuesOfCorrectTypeRule,
  VariablesInAllowedPositionRule,
  validate,
} from 'graphql';
import { compileOperation } from '../compile/operation.js';
import type { OperationPlan } from '../compile/plan.js';
import { EngineError } from '../errors.js';
import type { RoleSchema } from '../schema/build.js';
import type { Catalog } from '../schema/model.js';
import { LruCache } from '../util/lru.js';

/** A GraphQL request body as `/v1/graphql` receives it. */
export interface GraphqlRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/**
 * Rules left to the compiler, which reports these problems with Hasura's messages and JSON
 * paths instead of graphql-js's wording.
 */
const compilerRules = new Set<unknown>([
  FieldsOnCorrectTypeRule,
  KnownArgumentNamesRule,
  // Hasura accepts documents with unused variables and fragments.
  NoUnusedFragmentsRule,
  NoUnusedVariablesRule,
  ProvidedRequiredArgumentsRule,
  ScalarLeafsRule,
  ValuesOfCorrectTypeRule,
  // Hasura lets a variable of a looser type reach an argument; Postgres checks the value.
  VariablesInAllowedPositionRule,
]);
const validationRules = specifiedRules.filter((rule) => !compilerRules.has(rule));

function failed(message: string, path = '$'): EngineError {
  return new EngineError('validation-failed', message, { path, status: 200 });
}

interface PlanEntry {
  structural: string[] | undefined;
  plans: LruCache<string, OperationPlan>;
}

/** Parsed documents and compiled plans, shared by all requests of one metadata version. */
export class PlanCache {
  private readonly documents = new LruCache<string, DocumentNode>(2000);
  private readonly entries = new LruCache<string, PlanEntry>(5000);

  document(query: string): DocumentNode {
    const cached = this.documents.get(query);
    if (cached !== undefined) return cached;
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      // Hasura v2 returns this one message for every unparsable query. Keeping the parser's
      // text out also keeps out a RangeError from a document nested too deeply to parse.
      if (error instanceof GraphQLError || error instanceof RangeError) {
        throw failed('not a valid graphql query', '$.query');
      }
      throw error;
    }
    this.documents.set(query, document);
    return document;
  }

  entry(key: string): PlanEntry {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { structural: undefined, plans: new LruCache(50) };
      this.entries.set(key, entry);
    }
    return entry;
  }

  clear(): void {
    this.documents.clear();
    this.entries.clear();
  }
}

function pickOperation(
  document: DocumentNode,
  name: string | null | undefined,
): OperationDefinitionNode {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (name !== undefined && name !== null && name !== '') {
    const found = operations.find((operation) => operation.name?.value === name);
    if (found === undefined)
      throw failed(`no such operation found in the document: ${JSON.stringify(name)}`);
    return found;
  }
  const [only] = operations;
  if (only === undefined || operations.length > 1) {
    throw failed(
      'exactly one operation has to be present in the document when operationName is not specified',
    );
  }
  return only;
}

function coerceVariables(
  roleSchema: RoleSchema,
  operation: OperationDefinitionNode,
  provided: Record<string, unknown>,
): Record<string, unknown> {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (
      definition.type.kind === Kind.NON_NULL_TYPE &&
      name in provided &&
      provided[name] === null
    ) {
      throw failed(`null value found for non-nullable type: "${print(definition.type)}"`);
    }
    if (
      definition.type.kind === Kind.NON_NULL_TYPE &&
      !(name in provided) &&
      definition.defaultValue === undefined
    ) {
      throw failed(`expecting a value for non-nullable variable: "${name}"`);
    }
  }
  const result = getVariableValues(
    roleSchema.schema,
    operation.variableDefinitions ?? [],
    provided,
  );
  if (result.errors !== undefined) {
    // getVariableValues also returns errors it caught that are no GraphQLError, such as the
    // RangeError of variables nested too deeply. Their text must not reach the client.
    const first: unknown = result.errors[0];
    if (first !== undefined && !(first instanceof GraphQLError)) throw first;
    throw failed(result.errors[0]?.message ?? 'invalid variables', '$.variableValues');
  }
  return result.coerced;
}

/** Parses, validates and compiles a request for one role, reusing cached plans. */
export function prepareOperation(
  cache: PlanCache,
  catalog: Catalog,
  roleSchema: RoleSchema,
  request: GraphqlRequest,
  stringifyNumeric: boolean,
): {
  plan: OperationPlan;
  variables: Record<string, unknown>;
  document: DocumentNode;
  operation: OperationDefinitionNode;
} {
  const document = cache.document(request.query);
  const operation = pickOperation(document, request.operationName);
  const entry = cache.entry(
    `${roleSchema.cacheKey}\u0000${request.operationName ?? ''}\u0000${request.query}`,
  );
  if (entry.structural === undefined) {
    const errors = validate(roleSchema.schema, document, validationRules);
    const [first] = errors;
    if (first !== undefined) throw failed(first.message);
  }
  const variables = coerceVariables(roleSchema, operation, request.variables ?? {});
  const key = JSON.stringify((entry.structural ?? []).map((name) => variables[name] ?? null));
  const cached = entry.structural === undefined ? undefined : entry.plans.get(key);
  if (cached !== undefined) return { plan: cached, variables, document, operation };

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const plan = compileOperation({
    catalog,
    schema: roleSchema,
    operation,
    fragments,
    variables,
    stringifyNumeric,
  });
  if (entry.structural === undefined) entry.structural = plan.structural;
  entry.plans.set(JSON.stringify(entry.structural.map((name) => variables[name] ?? null)), plan);
  return { plan, variables, document, operation };
}
