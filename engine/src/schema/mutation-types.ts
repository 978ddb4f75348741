import {
  GraphQLEnumType,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
} from 'graphql';
import { insertRule, selectRule, updateRule, visibleRelationships } from './access.js';
import { isNumeric } from './aggregate-types.js';
import { boolExpType } from './bool-exp.js';
import type { BuildContext } from './context.js';
import type { ColumnField, TableInfo } from './model.js';
import { scalarName } from './scalars.js';
import { tableObjectType } from './table-types.js';

function inputScalar(context: BuildContext, column: ColumnField) {
  const scalar = context.scalar(scalarName(column));
  return column.isArray ? new GraphQLList(new GraphQLNonNull(scalar)) : scalar;
}

/** Columns the role may set on insert, leaving out those its preset fills. */
export function insertableColumns(table: TableInfo, role: string): ColumnField[] {
  const rule = insertRule(table, role);
  if (rule === undefined) return [];
  return table.columns.filter(
    (column) => rule.columns.has(column.name) && !(column.name in rule.set) && !column.generated,
  );
}

/** Columns the role may change on update, leaving out those its preset fills. */
export function updatableColumns(table: TableInfo, role: string): ColumnField[] {
  const rule = updateRule(table, role);
  if (rule === undefined) return [];
  return table.columns.filter(
    (column) => rule.columns.has(column.name) && !(column.name in rule.set) && !column.generated,
  );
}

function columnInput(
  context: BuildContext,
  name: string,
  description: string,
  columns: ColumnField[],
): GraphQLInputObjectType {
  return context.memo(
    name,
    () =>
      new GraphQLInputObjectType({
        name,
        description,
        fields: () => {
          const fields: GraphQLInputFieldConfigMap = {};
          for (const column of columns)
            fields[column.fieldName] = { type: inputScalar(context, column) };
          return fields;
        },
      }),
  );
}

/** `<table>_insert_input`: insertable columns and the relationships the role may insert through. */
export function insertInputType(context: BuildContext, table: TableInfo): GraphQLInputObjectType {
  const name = `${table.typeName}_insert_input`;
  return context.memo(
    name,
    () =>
      new GraphQLInputObjectType({
        name,
        description: `input type for inserting data into table "${table.table.name}"`,
        fields: () => {
          const fields: GraphQLInputFieldConfigMap = {};
          for (const column of insertableColumns(table, context.role)) {
            fields[column.fieldName] = { type: inputScalar(context, column) };
          }
          for (const { relationship, target } of visibleRelationships(
            table,
            context.role,
            context.catalog.tables,
          )) {
            if (insertRule(target, context.role) === undefined) continue;
            if (insertableColumns(target, context.role).length === 0) continue;
            fields[relationship.name] = {
              type: relationshipInsertType(context, target, relationship.kind),
            };
          }
          return fields;
        },
      }),
  );
}

function relationshipInsertType(
  context: BuildContext,
  target: TableInfo,
  kind: 'object' | 'array',
): GraphQLInputObjectType {
  const name = `${target.typeName}_${kind === 'object' ? 'obj' : 'arr'}_rel_insert_input`;
  return context.memo(
    name,
    () =>
      new GraphQLInputObjectType({
        name,
        description: `input type for inserting ${kind} relation for remote table "${target.table.name}"`,
        fields: () => {
          const row = new GraphQLNonNull(insertInputType(context, target));
          const conflict = onConflictType(context, target);
          return {
            data: { type: kind === 'object' ? row : new GraphQLNonNull(new GraphQLList(row)) },
            ...(conflict === undefined
              ? {}
              : { on_conflict: { type: conflict, description: 'upsert condition' } }),
          };
        },
      }),
  );
}

/** `<table>_set_input`, or undefined when the role may change no column. */
export function setInputType(
  context: BuildContext,
  table: TableInfo,
): GraphQLInputObjectType | undefined {
  if (updatableColumns(table, context.role).length === 0) return undefined;
  return columnInput(
    context,
    `${table.typeName}_set_input`,
    `input type for updating data in table "${table.table.name}"`,
    updatableColumns(table, context.role),
  );
}

export function incInputType(
  context: BuildContext,
  table: TableInfo,
): GraphQLInputObjectType | undefined {
  const columns = updatableColumns(table, context.role).filter(isNumeric);
  if (columns.length === 0) return undefined;
  return columnInput(
    context,
    `${table.typeName}_inc_input`,
    `input type for incrementing numeric columns in table "${table.table.name}"`,
    columns,
  );
}

export function pkColumnsInputType(
  context: BuildContext,
  table: TableInfo,
): GraphQLInputObjectType {
  const name = `${table.typeName}_pk_columns_input`;
  return context.memo(
    name,
    () =>
      new GraphQLInputObjectType({
        name,
        description: `primary key columns input for table: ${table.table.name}`,
        fields: () => {
          const fields: GraphQLInputFieldConfigMap = {};
          for (const columnName of table.shape.primaryKey) {
            const column = table.columnsByName.get(columnName);
            if (column === undefined) continue;
            fields[column.fieldName] = { type: new GraphQLNonNull(inputScalar(context, column)) };
          }
          return fields;
        },
      }),
  );
}

/** `<table>_on_conflict`, or undefined when the table has no unique constraint. */
export function onConflictType(
  context: BuildContext,
  table: TableInfo,
): GraphQLInputObjectType | undefined {
  if (table.shape.uniqueConstraints.length === 0) return undefined;
  const name = `${table.typeName}_on_conflict`;
  return context.memo(
    name,
    () =>
      new GraphQLInputObjectType({
        name,
        description: `on_conflict condition type for table "${table.table.name}"`,
        fields: () => ({
          constraint: { type: new GraphQLNonNull(constraintEnum(context, table)) },
          update_columns: {
            type: new GraphQLNonNull(
              new GraphQLList(new GraphQLNonNull(updateColumnEnum(context, table))),
            ),
            defaultValue: [],
          },
          where: { type: boolExpType(context, table) },
        }),
      }),
  );
}

function constraintEnum(context: BuildContext, table: TableInfo): GraphQLEnumType {
  const name = `${table.typeName}_constraint`;
  return context.memo(
    name,
    () =>
      new GraphQLEnumType({
        name,
        description: `unique or primary key constraints on table "${table.table.name}"`,
        values: Object.fromEntries(
          table.shape.uniqueConstraints.map((constraint) => [
            constraint.name,
            {
              value: constraint.name,
              description: `unique or primary key constraint on columns ${constraint.columns.map((c) => `"${c}"`).join(', ')}`,
            },
          ]),
        ),
      }),
  );
}

function updateColumnEnum(context: BuildContext, table: TableInfo): GraphQLEnumType {
  const name = `${table.typeName}_update_column`;
  return context.memo(name, () => {
    const columns = updatableColumns(table, context.role);
    const values =
      columns.length === 0
        ? { _PLACEHOLDER: { value: '_PLACEHOLDER', description: 'placeholder (do not use)' } }
        : Object.fromEntries(
            columns.map((column) => [
              column.fieldName,
              { value: column.name, description: 'column name' },
            ]),
          );
    return new GraphQLEnumType({
      name,
      description: `update columns of table "${table.table.name}"`,
      values,
    });
  });
}

/** `<table>_mutation_response`; `returning` only when the role may read the table. */
export function mutationResponseType(context: BuildContext, table: TableInfo): GraphQLObjectType {
  const name = `${table.typeName}_mutation_response`;
  return context.memo(
    name,
    () =>
      new GraphQLObjectType({
        name,
        description: `response of any mutation on the table "${table.table.name}"`,
        fields: () => {
          const fields: GraphQLFieldConfigMap<unknown, unknown> = {
            affected_rows: {
              type: new GraphQLNonNull(GraphQLInt),
              description: 'number of rows affected by the mutation',
            },
          };
          if (selectRule(table, context.role) !== undefined) {
            fields.returning = {
              type: new GraphQLNonNull(
                new GraphQLList(new GraphQLNonNull(tableObjectType(context, table))),
              ),
              description: 'data from the rows affected by the mutation',
            };
          }
          return fields;
        },
      }),
  );
}
