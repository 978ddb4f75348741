import {
  type GraphQLFieldConfigArgumentMap,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLList,
  GraphQLNonNull,
} from 'graphql';
import type { BuildContext } from './context.js';
import type { ComputedFieldInfo, FunctionInput } from './model.js';
import { scalarName } from './scalars.js';

function argumentType(context: BuildContext, argument: FunctionInput): GraphQLInputType {
  const name = argument.isComposite ? `${argument.baseType}_scalar` : scalarName(argument);
  const scalar = context.scalar(name);
  return argument.isArray ? new GraphQLList(new GraphQLNonNull(scalar)) : scalar;
}

/**
 * Builds the `args` argument of a function call: a computed field's or a tracked function's.
 * Its input type is `<function>_args` (prefixed with the schema outside `public`), and `args`
 * is required when some argument has no default, as in Hasura. A computed field whose
 * function is also tracked leaves out the row argument, so its type is named
 * `<table>_<field>_args` instead to keep the two apart.
 */
export function computedFieldArgs(
  context: BuildContext,
  computed: Pick<ComputedFieldInfo, 'inputArguments' | 'function'>,
  owner?: { typeName: string; fieldName: string },
): GraphQLFieldConfigArgumentMap {
  const inputs = computed.inputArguments;
  if (inputs.length === 0) return {};
  const { schema, name } = computed.function;
  const tracked = (context.catalog.functions ?? []).some(
    (item) => item.function.schema === schema && item.function.name === name,
  );
  const typeName =
    owner !== undefined && tracked
      ? `${owner.typeName}_${owner.fieldName}_args`
      : schema === 'public'
        ? `${name}_args`
        : `${schema}_${name}_args`;
  const type = context.memo(
    typeName,
    () =>
      new GraphQLInputObjectType({
        name: typeName,
        fields: () =>
          Object.fromEntries(
            inputs.map((item) => [item.name, { type: argumentType(context, item) }]),
          ),
      }),
  );
  const required = inputs.some((item) => !item.hasDefault);
  return { args: { type: required ? new GraphQLNonNull(type) : type } };
}
