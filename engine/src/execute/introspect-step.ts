import {
  type DocumentNode,
  execute,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import { EngineError } from '../errors.js';
import type { RoleSchema } from '../schema/build.js';

/** Answers `__schema` and `__type` root fields with graphql-js against the role's schema. */
export function runIntrospection(
  roleSchema: RoleSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  key: string,
  nodes: FieldNode[],
  variables: Record<string, unknown>,
): string {
  const fragments = document.definitions.filter(
    (definition): definition is FragmentDefinitionNode =>
      definition.kind === Kind.FRAGMENT_DEFINITION,
  );
  const single: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      { ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections: nodes } },
      ...fragments,
    ],
  };
  const result = execute({
    schema: roleSchema.schema,
    document: single,
    variableValues: variables,
  });
  if (result instanceof Promise) throw new Error('introspection must run synchronously');
  const [first] = result.errors ?? [];
  if (first !== undefined)
    throw new EngineError('validation-failed', first.message, { status: 200 });
  return JSON.stringify(result.data?.[key] ?? null);
}
