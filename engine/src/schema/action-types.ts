import {
  GraphQLEnumType,
  type GraphQLFieldConfigMap,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLList,
  type GraphQLNamedType,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLType,
  isInputType,
  isOutputType,
  Kind,
  parseType,
  type TypeNode,
} from 'graphql';
import type { Action, CustomTypes, InheritedRole, Metadata } from '../metadata/types.js';
import { adminRole } from './access.js';
import type { BuildContext } from './context.js';
import { expandRoleSet } from './inherited-roles.js';
import type { RootField } from './root-field.js';
import { passThroughScalar } from './scalars.js';

interface ActionTargets {
  queryFields: GraphQLFieldConfigMap<unknown, unknown>;
  mutationFields: GraphQLFieldConfigMap<unknown, unknown>;
  query: Map<string, RootField>;
  mutation: Map<string, RootField>;
}

/** Whether the role may call the action; admin always may. */
export function actionAllowed(
  action: Action,
  role: string,
  inherited: readonly InheritedRole[] = [],
): boolean {
  if (role === adminRole) return true;
  const roles = expandRoleSet(role, inherited);
  return (action.permissions ?? []).some(
    (entry) => entry.role === role || roles.includes(entry.role),
  );
}

function namedType(context: BuildContext, types: CustomTypes, name: string): GraphQLNamedType {
  const scalar = types.scalars?.find((item) => item.name === name);
  if (scalar !== undefined) {
    return context.memo(name, () => passThroughScalar(name, scalar.description ?? undefined));
  }
  const enumType = types.enums?.find((item) => item.name === name);
  if (enumType !== undefined) {
    return context.memo(
      name,
      () =>
        new GraphQLEnumType({
          name,
          description: enumType.description ?? null,
          values: Object.fromEntries(
            enumType.values.map((value) => [
              value.value,
              { value: value.value, description: value.description ?? null },
            ]),
          ),
        }),
    );
  }
  const input = types.input_objects?.find((item) => item.name === name);
  if (input !== undefined) {
    return context.memo(
      name,
      () =>
        new GraphQLInputObjectType({
          name,
          description: input.description ?? null,
          fields: () =>
            Object.fromEntries(
              input.fields.map((field) => [
                field.name,
                {
                  type: inputType(context, types, field.type),
                  description: field.description ?? null,
                },
              ]),
            ),
        }),
    );
  }
  const object = types.objects?.find((item) => item.name === name);
  if (object !== undefined) {
    return context.memo(
      name,
      () =>
        new GraphQLObjectType({
          name,
          description: object.description ?? null,
          fields: () =>
            Object.fromEntries(
              object.fields.map((field) => [
                field.name,
                {
                  type: outputType(context, types, field.type),
                  description: field.description ?? null,
                },
              ]),
            ),
        }),
    );
  }
  return context.scalar(name);
}

function wrap(context: BuildContext, types: CustomTypes, node: TypeNode): GraphQLType {
  if (node.kind === Kind.NON_NULL_TYPE) {
    return new GraphQLNonNull(wrap(context, types, node.type) as GraphQLInputType);
  }
  if (node.kind === Kind.LIST_TYPE) return new GraphQLList(wrap(context, types, node.type));
  return namedType(context, types, node.name.value);
}

function inputType(context: BuildContext, types: CustomTypes, text: string): GraphQLInputType {
  const type = wrap(context, types, parseType(text));
  if (!isInputType(type)) throw new Error(`"${text}" is not an input type.`);
  return type;
}

function outputType(context: BuildContext, types: CustomTypes, text: string): GraphQLOutputType {
  const type = wrap(context, types, parseType(text));
  if (!isOutputType(type)) throw new Error(`"${text}" is not an output type.`);
  return type;
}

/** Adds the query and mutation fields of the actions the role may call. */
export function addActionFields(
  context: BuildContext,
  metadata: Metadata,
  targets: ActionTargets,
): void {
  const types = metadata.custom_types ?? {};
  for (const action of metadata.actions ?? []) {
    if (!actionAllowed(action, context.role, metadata.inherited_roles ?? [])) continue;
    const definition = action.definition;
    const field = {
      type: outputType(context, types, definition.output_type ?? 'Boolean'),
      description: action.comment ?? null,
      args: Object.fromEntries(
        (definition.arguments ?? []).map((argument) => [
          argument.name,
          {
            type: inputType(context, types, argument.type),
            description: argument.description ?? null,
          },
        ]),
      ),
    };
    if (definition.type === 'query') {
      targets.queryFields[action.name] = field;
      targets.query.set(action.name, { kind: 'action', action });
    } else {
      targets.mutationFields[action.name] = field;
      targets.mutation.set(action.name, { kind: 'action', action });
    }
  }
}
