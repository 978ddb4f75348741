import {
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  Kind,
  parse,
  print,
  type TypeNode,
} from 'graphql';
import { isRecord, type JsonObject } from '../util/json.js';
import type { Action, CustomTypeField, CustomTypes, Metadata } from './types.js';

interface Sdl {
  rootFields: Map<string, { type: 'query' | 'mutation'; field: FieldDefinitionNode }>;
  types: CustomTypes;
}

function describe(node: { description?: { value: string } | undefined }): string | null {
  return node.description?.value ?? null;
}

function field(node: FieldDefinitionNode | InputValueDefinitionNode): CustomTypeField {
  const description = describe(node);
  const type = print(node.type as TypeNode);
  return description === null
    ? { name: node.name.value, type }
    : { name: node.name.value, type, description };
}

/** Reads `actions.graphql`: root fields of `Query`/`Mutation` and the custom types. */
function readSdl(text: string): Sdl {
  const rootFields: Sdl['rootFields'] = new Map();
  const types: Required<CustomTypes> = { scalars: [], enums: [], input_objects: [], objects: [] };
  if (text.trim() === '') return { rootFields, types };

  for (const definition of parse(text).definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION: {
        const name = definition.name.value;
        const fields = definition.fields ?? [];
        if (name === 'Query' || name === 'Mutation') {
          const type = name === 'Query' ? 'query' : 'mutation';
          for (const item of fields) rootFields.set(item.name.value, { type, field: item });
        } else {
          const description = 'description' in definition ? describe(definition) : null;
          types.objects.push({ name, description, fields: fields.map(field) });
        }
        break;
      }
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
        types.input_objects.push({
          name: definition.name.value,
          description: describe(definition),
          fields: (definition.fields ?? []).map(field),
        });
        break;
      case Kind.ENUM_TYPE_DEFINITION:
        types.enums.push({
          name: definition.name.value,
          description: describe(definition),
          values: (definition.values ?? []).map((value) => ({
            value: value.name.value,
            description: describe(value),
            is_deprecated: false,
          })),
        });
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
        types.scalars.push({ name: definition.name.value, description: describe(definition) });
        break;
      default:
        break;
    }
  }
  return { rootFields, types };
}

/**
 * Merges `actions.yaml` and `actions.graphql` into metadata the way `hasura metadata apply`
 * does: the SDL gives each action its arguments and output type and each custom type its
 * fields, and the YAML gives handlers, permissions and relationships.
 */
export function mergeActionsGraphql(metadata: Metadata, yaml: JsonObject, sdlText: string): void {
  const sdl = readSdl(sdlText);
  const actions = Array.isArray(yaml.actions) ? yaml.actions.filter(isRecord) : [];
  metadata.actions = actions.map((entry) => {
    const action = entry as unknown as Action;
    const root = sdl.rootFields.get(action.name);
    if (root === undefined) return action;
    return {
      ...action,
      definition: {
        ...action.definition,
        type: root.type,
        arguments: (root.field.arguments ?? []).map(field),
        output_type: print(root.field.type),
      },
    };
  });
  if (metadata.actions.length === 0) delete metadata.actions;

  const declared = isRecord(yaml.custom_types) ? (yaml.custom_types as CustomTypes) : {};
  const merged: CustomTypes = {};
  for (const key of ['scalars', 'enums', 'input_objects', 'objects'] as const) {
    const fromSdl: { name: string }[] = sdl.types[key] ?? [];
    const fromYaml: { name: string }[] = declared[key] ?? [];
    const list = fromSdl.map((type) => ({
      ...type,
      ...(fromYaml.find((item) => item.name === type.name) ?? {}),
      ...pickShape(type),
    }));
    if (list.length > 0) Object.assign(merged, { [key]: list });
  }
  if (Object.keys(merged).length > 0) metadata.custom_types = merged;
}

/** Keeps the SDL's fields and values over any stale copies in the YAML. */
function pickShape(type: object): object {
  const shape: JsonObject = {};
  if ('fields' in type) shape.fields = type.fields;
  if ('values' in type) shape.values = type.values;
  return shape;
}
