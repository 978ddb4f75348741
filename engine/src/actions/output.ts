import { Kind, parseType, type TypeNode } from 'graphql';
import type { CollectedField } from '../compile/fields.js';
import { EngineError } from '../errors.js';
import type { CustomTypes } from '../metadata/types.js';
import { isRecord } from '../util/json.js';

/** Collects the sub-selection of a field of the given type name. */
export type SelectionReader = (field: CollectedField, typeName: string) => CollectedField[];

function responseError(message: string): EngineError {
  return new EngineError('unexpected', message, { status: 200 });
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (isRecord(value)) return 'object';
  if (typeof value === 'string') return 'scalar String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'scalar Int' : 'scalar Float';
  if (typeof value === 'boolean') return 'scalar Boolean';
  return 'null';
}

const builtinChecks: Record<string, (value: unknown) => boolean> = {
  Int: (value) => typeof value === 'number' && Number.isInteger(value),
  Float: (value) => typeof value === 'number',
  String: (value) => typeof value === 'string',
  Boolean: (value) => typeof value === 'boolean',
  ID: (value) =>
    typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)),
};

/**
 * Checks a handler's response against the action's output type and returns it shaped by the
 * selection set, with Hasura's messages for mismatches.
 */
export function shapeOutput(
  types: CustomTypes,
  typeText: string,
  value: unknown,
  field: CollectedField,
  readSelection: SelectionReader,
): unknown {
  return shape(types, parseType(typeText), value, field, readSelection, true);
}

function shape(
  types: CustomTypes,
  type: TypeNode,
  value: unknown,
  field: CollectedField,
  readSelection: SelectionReader,
  top: boolean,
): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) {
    if (value === null || value === undefined) {
      throw responseError(
        top
          ? 'got null for the action webhook response'
          : `expecting not null value for field "${field.name}"`,
      );
    }
    return shape(types, type.type, value, field, readSelection, top);
  }
  if (value === null || value === undefined) return null;
  if (type.kind === Kind.LIST_TYPE) {
    if (!Array.isArray(value))
      throw responseError('expecting array for the action webhook response');
    return value.map((item) => shape(types, type.type, item, field, readSelection, top));
  }
  const name = type.name.value;
  const object = types.objects?.find((item) => item.name === name);
  if (object === undefined) {
    const check = builtinChecks[name];
    if (isRecord(value) || Array.isArray(value) || (check !== undefined && !check(value))) {
      throw responseError(
        `got ${describe(value)} for the action webhook response, expecting ${name}`,
      );
    }
    return value;
  }
  if (!isRecord(value)) {
    throw responseError(
      `got ${describe(value)} for the action webhook response, expecting ${name}`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const selected of readSelection(field, name)) {
    if (selected.name === '__typename') {
      out[selected.key] = name;
      continue;
    }
    const definition = object.fields.find((item) => item.name === selected.name);
    if (definition === undefined) {
      throw new EngineError(
        'validation-failed',
        `field '${selected.name}' not found in type: '${name}'`,
        {
          status: 200,
          path: `$.selectionSet.${field.key}.selectionSet.${selected.key}`,
        },
      );
    }
    out[selected.key] = shape(
      types,
      parseType(definition.type),
      value[selected.name],
      selected,
      readSelection,
      false,
    );
  }
  return out;
}
