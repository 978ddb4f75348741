import { EngineError } from '../../errors.js';
import { isRecord, type JsonObject } from '../../util/json.js';
import { emptyMetadata, type Metadata } from '../types.js';
import { type Operation, parseFailed, success } from './context.js';
import { pruneInconsistent } from './prune.js';

/** Accepts metadata in format version 3, or version 2 with top-level `tables`. */
export function normaliseMetadata(value: unknown): Metadata {
  if (!isRecord(value)) throw parseFailed('parsing Object failed, expected Object', '$.args');
  if (value.version === 3 || Array.isArray(value.sources)) {
    return {
      ...value,
      version: 3,
      sources: Array.isArray(value.sources) ? value.sources : [],
    } as Metadata;
  }
  const { tables, functions, version: _version, ...rest } = value;
  return {
    ...rest,
    version: 3,
    sources: [
      {
        name: 'default',
        kind: 'postgres',
        tables: Array.isArray(tables) ? tables : [],
        functions: Array.isArray(functions) ? functions : [],
        configuration: {
          connection_info: { database_url: { from_env: 'HASURA_GRAPHQL_DATABASE_URL' } },
        },
      },
    ],
  } as Metadata;
}

function inconsistentReport(context: Parameters<Operation>[0]) {
  const objects = context.state.inconsistent;
  return { is_consistent: objects.length === 0, inconsistent_objects: objects };
}

export const replaceMetadata: Operation = async (context, args) => {
  const isV2 = isRecord(args.metadata);
  const metadata = normaliseMetadata(isV2 ? args.metadata : args);
  const allowInconsistent = isV2 && args.allow_inconsistent_metadata === true;
  const previous = { metadata: context.state.metadata, version: context.state.resourceVersion };
  await context.state.activate(metadata, previous.version);
  if (context.state.inconsistent.length > 0 && !allowInconsistent) {
    const internal = context.state.inconsistent;
    await context.state.activate(previous.metadata, previous.version);
    throw new EngineError('unexpected', 'cannot continue due to inconsistent metadata', {
      path: '$.args',
      extensions: { internal },
    });
  }
  context.draft = metadata;
  context.changed = true;
  context.consistencyChecked = true;
  return isV2 ? inconsistentReport(context) : success;
};

export const exportMetadata: Operation = async (context) => {
  if (context.version === 2) {
    return { resource_version: context.state.resourceVersion, metadata: context.draft };
  }
  return context.draft;
};

export const reloadMetadata: Operation = async (context) => {
  context.schemaChanged = true;
  await context.state.activate(context.draft, context.state.resourceVersion);
  return { ...success, ...inconsistentReport(context) };
};

export const clearMetadata: Operation = async (context) => {
  context.draft = emptyMetadata();
  context.changed = true;
  return success;
};

export const getInconsistentMetadata: Operation = async (context) => inconsistentReport(context);

export const dropInconsistentMetadata: Operation = async (context) => {
  pruneInconsistent(context.draft, context.state.inconsistent);
  context.changed = true;
  context.consistencyChecked = true;
  return success;
};

export type { JsonObject };
