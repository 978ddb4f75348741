import type { FunctionShape } from '../database/functions.js';
import { tableKey } from '../database/introspect.js';
import type { Metadata, QualifiedTable } from '../metadata/types.js';
import { isRecord } from '../util/json.js';
import { inputArguments } from './computed-fields.js';
import type { InconsistentObject, RootFunctionInfo, TableInfo } from './model.js';

function functionName(value: unknown): QualifiedTable | undefined {
  if (typeof value === 'string') return { schema: 'public', name: value };
  if (isRecord(value) && typeof value.name === 'string') {
    return { schema: typeof value.schema === 'string' ? value.schema : 'public', name: value.name };
  }
  return undefined;
}

/** Returns the `functions` entries of every source. */
function functionEntries(metadata: Metadata): Record<string, unknown>[] {
  return metadata.sources.flatMap((source) => (source.functions ?? []).filter(isRecord));
}

/** Lists the tracked functions of every source, to introspect with the computed fields'. */
export function trackedFunctions(metadata: Metadata): QualifiedTable[] {
  return functionEntries(metadata).flatMap((entry) => {
    const name = functionName(entry.function);
    return name === undefined ? [] : [name];
  });
}

function inconsistentFunction(name: QualifiedTable, reason: string): InconsistentObject {
  return {
    type: 'function',
    name: `function ${tableKey(name)} in source default`,
    reason: `Inconsistent object: ${reason}`,
    definition: name,
  };
}

/**
 * Resolves the tracked functions that return SETOF a tracked table into root fields.
 * NOTE: every such function becomes a query field, VOLATILE ones too, which Hasura exposes as
 * mutations unless `exposed_as` says `query`. Functions returning scalars are not served.
 */
export function resolveRootFunctions(
  metadata: Metadata,
  functions: Map<string, FunctionShape>,
  tables: Map<string, TableInfo>,
  inconsistent: InconsistentObject[],
): RootFunctionInfo[] {
  const resolved: RootFunctionInfo[] = [];
  for (const entry of functionEntries(metadata)) {
    const name = functionName(entry.function);
    if (name === undefined) continue;
    const shape = functions.get(tableKey(name));
    if (shape === undefined) {
      inconsistent.push(inconsistentFunction(name, `no such function exists: "${tableKey(name)}"`));
      continue;
    }
    const target = shape.returnTable === undefined ? undefined : tableKey(shape.returnTable);
    if (target === undefined || !shape.returnsSet || !tables.has(target)) {
      const reason = `the function "${tableKey(name)}" must return SETOF a tracked table`;
      inconsistent.push(inconsistentFunction(name, reason));
      continue;
    }
    const configuration = isRecord(entry.configuration) ? entry.configuration : {};
    const sessionArgument =
      typeof configuration.session_argument === 'string'
        ? configuration.session_argument
        : undefined;
    resolved.push({
      fieldName:
        typeof configuration.custom_name === 'string' ? configuration.custom_name : name.name,
      function: name,
      description: typeof entry.comment === 'string' ? entry.comment : null,
      sessionArgument,
      inputArguments: inputArguments(shape.arguments, undefined, sessionArgument, false),
      target,
    });
  }
  return resolved;
}
