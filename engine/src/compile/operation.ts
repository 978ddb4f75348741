import type { FragmentDefinitionNode, OperationDefinitionNode } from 'graphql';
import type { RoleSchema } from '../schema/build.js';
import type { Catalog } from '../schema/model.js';
import { CompileContext, validationError } from './context.js';
import { collectFields } from './fields.js';
import { compileMutationRoot, compileUpdateMany } from './mutation.js';
import type { OperationPlan, RootStep } from './plan.js';
import { compileFunctionRoot } from './root-function.js';
import { compileSelectRoot } from './root-query.js';
import { render, sql } from './sql.js';

export interface CompileInput {
  catalog: Catalog;
  schema: RoleSchema;
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  stringifyNumeric: boolean;
}

const rootTypeNames = {
  query: 'query_root',
  mutation: 'mutation_root',
  subscription: 'subscription_root',
};

/** Compiles an operation to one step per root field, each select field one SQL statement. */
export function compileOperation(input: CompileInput): OperationPlan {
  const { operation, schema } = input;
  const context = new CompileContext(
    input.catalog,
    schema.role,
    input.stringifyNumeric,
    input.variables,
    input.fragments,
  );
  const kind = operation.operation;
  const rootType = rootTypeNames[kind];
  if (kind === 'mutation' && schema.mutation.size === 0) {
    throw validationError('$', 'no mutations exist');
  }
  const index = kind === 'mutation' ? schema.mutation : schema.query;
  const steps: RootStep[] = [];
  for (const field of collectFields(context, operation.selectionSet, rootType)) {
    const path = `$.selectionSet.${field.key}`;
    if (field.name === '__typename') {
      steps.push({ kind: 'typename', key: field.key, value: rootType });
      continue;
    }
    if ((field.name === '__schema' || field.name === '__type') && kind !== 'mutation') {
      steps.push({ kind: 'introspection', key: field.key, nodes: field.nodes });
      continue;
    }
    const root = index.get(field.name);
    if (root === undefined) {
      throw validationError(path, `field '${field.name}' not found in type: '${rootType}'`);
    }
    if (root.kind === 'action') {
      steps.push({ kind: 'action', key: field.key, action: root.action, field, path });
      continue;
    }
    if (
      root.kind === 'select' ||
      root.kind === 'select_by_pk' ||
      root.kind === 'select_aggregate'
    ) {
      const expression = compileSelectRoot(context, root.kind, root.table, field, path);
      steps.push({
        kind: 'sql',
        key: field.key,
        statement: render(sql`SELECT (${expression})::text AS "root"`),
      });
      continue;
    }
    if (root.kind === 'function' || root.kind === 'function_aggregate') {
      const expression = compileFunctionRoot(context, root, field, path);
      steps.push({
        kind: 'sql',
        key: field.key,
        statement: render(sql`SELECT (${expression})::text AS "root"`),
      });
      continue;
    }
    if (root.kind === 'update_many') {
      const statements = compileUpdateMany(context, root.table, field, path).map((item) => ({
        statement: render(item.sql),
        checked: item.checked,
      }));
      steps.push({ kind: 'mutation-list', key: field.key, statements });
      continue;
    }
    const mutation = compileMutationRoot(context, root.kind, root.table, field, path);
    // Hasura reports database errors of inserts at the inserted objects, and of others at "$".
    const insertArguments: Partial<Record<string, string>> = {
      insert: 'objects',
      insert_one: 'object',
    };
    const argument = insertArguments[root.kind];
    steps.push({
      kind: 'mutation',
      key: field.key,
      statement: render(mutation.sql),
      checked: mutation.checked,
      followUp: mutation.followUp === undefined ? undefined : render(mutation.followUp),
      errorPath: argument === undefined ? '$' : `${path}.args.${argument}`,
    });
  }
  return {
    operation: kind,
    steps,
    operandChecks: context.operandChecks,
    structural: [...context.variables.structural],
  };
}
