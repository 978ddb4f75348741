import {
  type GraphQLFieldConfigArgumentMap,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLList,
  GraphQLNonNull,
} from 'graphql';
import type { BuildContext } from './context.js';
import type { ColumnField, ComputedFieldInfo } from './model.js';
import { scalarName } from './scalars.js';

function argumentType(context: BuildContext, argument: ColumnField): GraphQLInputType {
  const scalar = context.scalar(scalarName(argument));
  return argument.isArray ? new GraphQLList(new GraphQLNonNull(scalar)) : scalar;
}

/**
 * Builds the `args` argument of a computed field whose function takes arguments besides the
 * row and the session. Its input type is `<function>_args` (prefixed with the schema outside
 * `public`), and `args` is required when some argument has no default, as in Hasura.
 */
export function computedFieldArgs(
  context: BuildContext,
  computed: ComputedFieldInfo,
): GraphQLFieldConfigArgumentMap {
  const inputs = computed.inputArguments;
  if (inputs.length === 0) return {};
  const { schema, name } = computed.function;
  const typeName = schema === 'public' ? `${name}_args` : `${schema}_${name}_args`;
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
