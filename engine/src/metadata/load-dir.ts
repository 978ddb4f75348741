import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isRecord, type JsonObject } from '../util/json.js';
import { mergeActionsGraphql } from './actions-graphql.js';
import type { Metadata } from './types.js';

const includePrefix = '!include ';

/**
 * Reads one YAML file and resolves `!include` (as a YAML tag or as the quoted string
 * `"!include path"` that the Hasura CLI writes) relative to the including file.
 */
export function readYamlWithIncludes(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  const base = dirname(file);
  let parsed: unknown;
  try {
    parsed = parseYaml(text, {
      customTags: [{ tag: '!include', resolve: (path: string) => `${includePrefix}${path}` }],
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`${file} is not valid YAML: ${detail}`, { cause: error });
  }
  return resolveIncludes(parsed, base);
}

function resolveIncludes(value: unknown, base: string): unknown {
  if (typeof value === 'string' && value.startsWith(includePrefix)) {
    return readYamlWithIncludes(resolve(base, value.slice(includePrefix.length).trim()));
  }
  if (Array.isArray(value)) return value.map((item) => resolveIncludes(item, base));
  if (isRecord(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = resolveIncludes(item, base);
    return out;
  }
  return value;
}

function readOptional(dir: string, file: string): unknown {
  const path = join(dir, file);
  return existsSync(path) ? readYamlWithIncludes(path) : undefined;
}

/** Sections stored one file each at the top of a metadata directory, keyed by metadata key. */
const sectionFiles: Record<string, string> = {
  query_collections: 'query_collections.yaml',
  allowlist: 'allow_list.yaml',
  rest_endpoints: 'rest_endpoints.yaml',
  inherited_roles: 'inherited_roles.yaml',
  cron_triggers: 'cron_triggers.yaml',
  remote_schemas: 'remote_schemas.yaml',
  network: 'network.yaml',
  api_limits: 'api_limits.yaml',
  graphql_schema_introspection: 'graphql_schema_introspection.yaml',
  backend_configs: 'backend_configs.yaml',
  opentelemetry: 'opentelemetry.yaml',
  metrics_config: 'metrics_config.yaml',
};

/**
 * Loads a Hasura metadata directory (format version 3, as `hasura metadata export` writes it)
 * into one metadata object. Empty sections are left out, as `export_metadata` does.
 */
export function loadMetadataDir(dir: string): Metadata {
  const root = resolve(dir);
  const version = readOptional(root, 'version.yaml');
  if (!isRecord(version) || version.version !== 3) {
    throw new Error(`${join(root, 'version.yaml')} must contain "version: 3".`);
  }
  const sources = readOptional(root, join('databases', 'databases.yaml')) ?? [];
  if (!Array.isArray(sources)) {
    throw new Error(`${join(root, 'databases', 'databases.yaml')} must contain a list.`);
  }
  const metadata: Metadata = { version: 3, sources: sources.map(normaliseSource) };

  for (const [key, file] of Object.entries(sectionFiles)) {
    const value = readOptional(root, file);
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (isRecord(value) && Object.keys(value).length === 0) continue;
    metadata[key] = value;
  }

  const actions = readOptional(root, 'actions.yaml');
  if (isRecord(actions)) {
    const graphqlFile = join(root, 'actions.graphql');
    const sdl = existsSync(graphqlFile) ? readFileSync(graphqlFile, 'utf8') : '';
    mergeActionsGraphql(metadata, actions, sdl);
  }
  return metadata;
}

function normaliseSource(value: unknown): Metadata['sources'][number] {
  if (!isRecord(value) || typeof value.name !== 'string') {
    throw new Error('Each entry of databases.yaml must be an object with a "name".');
  }
  const tables = Array.isArray(value.tables) ? value.tables : [];
  return {
    ...value,
    name: value.name,
    kind: typeof value.kind === 'string' ? value.kind : 'postgres',
    tables: tables.flat(),
    configuration: isRecord(value.configuration) ? value.configuration : {},
  } as Metadata['sources'][number];
}
