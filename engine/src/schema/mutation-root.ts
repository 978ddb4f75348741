import {
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLList,
  GraphQLNonNull,
} from 'graphql';
import { deleteRule, insertRule, selectRule, updateRule } from './access.js';
import { boolExpType } from './bool-exp.js';
import type { BuildContext } from './context.js';
import { jsonbArguments } from './jsonb-operators.js';
import type { TableInfo } from './model.js';
import {
  incInputType,
  insertableColumns,
  insertInputType,
  mutationResponseType,
  onConflictType,
  pkColumnsInputType,
  setInputType,
} from './mutation-types.js';
import { primaryKeyArguments } from './query-root.js';
import type { RootField } from './root-field.js';
import { tableObjectType } from './table-types.js';

type Fields = GraphQLFieldConfigMap<unknown, unknown>;

function addInsertFields(
  context: BuildContext,
  table: TableInfo,
  fields: Fields,
  index: Map<string, RootField>,
): void {
  const input = new GraphQLNonNull(insertInputType(context, table));
  const onConflict =
    updateRule(table, context.role) !== undefined ? onConflictType(context, table) : undefined;
  const conflictArg: GraphQLFieldConfigArgumentMap =
    onConflict === undefined
      ? {}
      : { on_conflict: { type: onConflict, description: 'upsert condition' } };
  fields[table.rootFields.insert] = {
    type: mutationResponseType(context, table),
    description: table.rootComments.insert ?? `insert data into the table: "${table.table.name}"`,
    args: {
      objects: {
        type: new GraphQLNonNull(new GraphQLList(input)),
        description: 'the rows to be inserted',
      },
      ...conflictArg,
    },
  };
  index.set(table.rootFields.insert, { kind: 'insert', table });
  if (selectRule(table, context.role) === undefined) return;
  fields[table.rootFields.insertOne] = {
    type: tableObjectType(context, table),
    description:
      table.rootComments.insertOne ?? `insert a single row into the table: "${table.table.name}"`,
    args: { object: { type: input, description: 'the row to be inserted' }, ...conflictArg },
  };
  index.set(table.rootFields.insertOne, { kind: 'insert_one', table });
}

/** `update_<table>_many`: several updates run one after another, each with its own filter. */
function addUpdateManyField(
  context: BuildContext,
  table: TableInfo,
  changes: GraphQLFieldConfigArgumentMap,
  fields: Fields,
  index: Map<string, RootField>,
): void {
  const name = `${table.typeName}_updates`;
  const updates = context.memo(
    name,
    () =>
      new GraphQLInputObjectType({
        name,
        fields: () => ({
          ...Object.fromEntries(
            Object.entries(changes).map(([key, config]) => [
              key,
              { type: config.type as GraphQLInputType, description: config.description ?? null },
            ]),
          ),
          where: {
            type: new GraphQLNonNull(boolExpType(context, table)),
            description: 'filter the rows which have to be updated',
          },
        }),
      }),
  );
  fields[table.rootFields.updateMany] = {
    type: new GraphQLList(mutationResponseType(context, table)),
    description: `update multiples rows of table: "${table.table.name}"`,
    args: {
      updates: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(updates))),
        description: 'updates to execute, in order',
      },
    },
  };
  index.set(table.rootFields.updateMany, { kind: 'update_many', table });
}

function addUpdateFields(
  context: BuildContext,
  table: TableInfo,
  fields: Fields,
  index: Map<string, RootField>,
): void {
  const inc = incInputType(context, table);
  const set = setInputType(context, table);
  const changes: GraphQLFieldConfigArgumentMap = {
    ...(inc === undefined
      ? {}
      : {
          _inc: {
            type: inc,
            description: 'increments the numeric columns with given value of the filtered values',
          },
        }),
    ...(set === undefined
      ? {}
      : {
          _set: {
            type: set,
            description: 'sets the columns of the filtered rows to the given values',
          },
        }),
    ...jsonbArguments(context, table),
  };
  fields[table.rootFields.update] = {
    type: mutationResponseType(context, table),
    description: table.rootComments.update ?? `update data of the table: "${table.table.name}"`,
    args: {
      ...changes,
      where: {
        type: new GraphQLNonNull(boolExpType(context, table)),
        description: 'filter the rows which have to be updated',
      },
    },
  };
  index.set(table.rootFields.update, { kind: 'update', table });
  addUpdateManyField(context, table, changes, fields, index);
  if (primaryKeyArguments(context, table) === undefined) return;
  fields[table.rootFields.updateByPk] = {
    type: tableObjectType(context, table),
    description:
      table.rootComments.updateByPk ?? `update single row of the table: "${table.table.name}"`,
    args: {
      ...changes,
      pk_columns: { type: new GraphQLNonNull(pkColumnsInputType(context, table)) },
    },
  };
  index.set(table.rootFields.updateByPk, { kind: 'update_by_pk', table });
}

function addDeleteFields(
  context: BuildContext,
  table: TableInfo,
  fields: Fields,
  index: Map<string, RootField>,
): void {
  fields[table.rootFields.delete] = {
    type: mutationResponseType(context, table),
    description: table.rootComments.delete ?? `delete data from the table: "${table.table.name}"`,
    args: {
      where: {
        type: new GraphQLNonNull(boolExpType(context, table)),
        description: 'filter the rows which have to be deleted',
      },
    },
  };
  index.set(table.rootFields.delete, { kind: 'delete', table });
  const pkArgs = primaryKeyArguments(context, table);
  if (pkArgs === undefined) return;
  fields[table.rootFields.deleteByPk] = {
    type: tableObjectType(context, table),
    description:
      table.rootComments.deleteByPk ?? `delete single row from the table: "${table.table.name}"`,
    args: pkArgs,
  };
  index.set(table.rootFields.deleteByPk, { kind: 'delete_by_pk', table });
}

/**
 * Adds the mutation root fields of every table the role may change. Update and delete also
 * need select permission, because their `where` and `returning` read the table.
 */
export function addMutationFields(
  context: BuildContext,
  fields: Fields,
  index: Map<string, RootField>,
): void {
  for (const table of context.catalog.tables.values()) {
    const readable = selectRule(table, context.role) !== undefined;
    const usable = <T extends { backendOnly: boolean }>(rule: T | undefined): boolean =>
      rule !== undefined && (!rule.backendOnly || context.backendOnly);
    // GraphQL input objects need a field, so a role that may set no column gets no insert.
    if (
      usable(insertRule(table, context.role)) &&
      insertableColumns(table, context.role).length > 0
    ) {
      addInsertFields(context, table, fields, index);
    }
    if (readable && usable(updateRule(table, context.role)))
      addUpdateFields(context, table, fields, index);
    if (readable && usable(deleteRule(table, context.role)))
      addDeleteFields(context, table, fields, index);
  }
}
