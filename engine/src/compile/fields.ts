import { type DirectiveNode, type FieldNode, Kind, type SelectionSetNode } from 'graphql';
import type { CompileContext } from './context.js';
import { validationError } from './context.js';
import { readValue } from './values.js';

/** The fields selected under one response key; several when a key appears more than once. */
export interface CollectedField {
  key: string;
  name: string;
  nodes: FieldNode[];
}

function included(
  context: CompileContext,
  directives: readonly DirectiveNode[] | undefined,
): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const argument = directive.arguments?.find((item) => item.name.value === 'if');
    const value =
      argument === undefined
        ? undefined
        : context.variables.resolve(readValue(argument.value, context.variableValues));
    if (name === 'skip' && value === true) return false;
    if (name === 'include' && value !== true) return false;
  }
  return true;
}

/**
 * Collects the fields of a selection set in order, expanding fragments whose type condition
 * matches `typeName` and applying `@skip` and `@include`.
 */
export function collectFields(
  context: CompileContext,
  selectionSet: SelectionSetNode,
  typeName: string,
  out: CollectedField[] = [],
  visited: Set<string> = new Set(),
): CollectedField[] {
  for (const selection of selectionSet.selections) {
    if (!included(context, selection.directives)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const existing = out.find((item) => item.key === key);
      if (existing !== undefined) existing.nodes.push(selection);
      else out.push({ key, name: selection.name.value, nodes: [selection] });
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value;
      if (condition === undefined || condition === typeName) {
        collectFields(context, selection.selectionSet, typeName, out, visited);
      }
      continue;
    }
    const name = selection.name.value;
    if (visited.has(name)) continue;
    visited.add(name);
    const fragment = context.fragments.get(name);
    if (fragment === undefined) throw validationError('$', `fragment "${name}" is not defined`);
    if (fragment.typeCondition.name.value === typeName) {
      collectFields(context, fragment.selectionSet, typeName, out, visited);
    }
  }
  return out;
}

/** Collects the sub-selection of all nodes of one response key. */
export function subFields(
  context: CompileContext,
  field: CollectedField,
  typeName: string,
  path: string,
): CollectedField[] {
  const out: CollectedField[] = [];
  for (const node of field.nodes) {
    if (node.selectionSet === undefined) {
      throw validationError(path, `missing selection set for "${field.name}"`);
    }
    collectFields(context, node.selectionSet, typeName, out);
  }
  return out;
}

/** Reads the field's arguments; later nodes of a merged key do not override earlier ones. */
export function fieldArguments(
  context: CompileContext,
  field: CollectedField,
): Map<string, unknown> {
  const args = new Map<string, unknown>();
  const first = field.nodes[0];
  for (const argument of first?.arguments ?? []) {
    args.set(argument.name.value, readValue(argument.value, context.variableValues));
  }
  return args;
}

/** Rejects arguments the field does not take, with Hasura's message. */
export function checkArguments(
  field: CollectedField,
  allowed: readonly string[],
  path: string,
): void {
  for (const node of field.nodes) {
    for (const argument of node.arguments ?? []) {
      if (!allowed.includes(argument.name.value)) {
        throw validationError(
          path,
          `'${field.name}' has no argument named '${argument.name.value}'`,
        );
      }
    }
  }
}
