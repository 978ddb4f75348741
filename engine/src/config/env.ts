import { type JwtConfig, parseJwtConfig } from './jwt-config.js';

/**
 * Limits of the engine's own, used where `api_limits` metadata sets none. Zero turns a limit
 * off. Real Hasura OSS has none of these.
 */
export interface EngineLimits {
  /** Longest allowed chain of fields with selection sets (`ACCI_ENGINE_MAX_DEPTH`). */
  maxDepth: number;
  /** Maximum number of fields with selection sets in one operation (`ACCI_ENGINE_MAX_NODES`). */
  maxNodes: number;
  /** Postgres `statement_timeout` of each GraphQL transaction, in ms. */
  statementTimeoutMs: number;
}

/** Everything the engine reads from its environment, validated once at start. */
export interface EngineConfig {
  databaseUrl: string;
  adminSecret: string | undefined;
  jwt: JwtConfig | undefined;
  unauthorizedRole: string | undefined;
  stringifyNumericTypes: boolean;
  enableAllowlist: boolean;
  port: number;
  /** Interface to listen on; `*` means every interface. */
  host: string;
  /** A Hasura `metadata/` directory that is loaded and stored at start. */
  metadataDir: string | undefined;
  devMode: boolean;
  limits: EngineLimits;
  /** Environment for `from_env`, `value_from_env` and `{{NAME}}` templates in metadata. */
  env: Readonly<Record<string, string | undefined>>;
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

function parseBoolean(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = nonEmpty(env, name);
  if (value === undefined) return false;
  const lower = value.trim().toLowerCase();
  if (['true', 't', 'yes', 'y', '1'].includes(lower)) return true;
  if (['false', 'f', 'no', 'n', '0'].includes(lower)) return false;
  throw new Error(`${name} is invalid: expected "true" or "false", got "${value}".`);
}

function parsePort(env: NodeJS.ProcessEnv): number {
  const name = 'HASURA_GRAPHQL_SERVER_PORT';
  const value = nonEmpty(env, name);
  if (value === undefined) return 8080;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} is invalid: expected a port number from 0 to 65535, got "${value}".`);
  }
  return port;
}

function parseCount(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  const count = Number(value.trim());
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new Error(`${name} is invalid: expected a whole number, 0 or more, got "${value}".`);
  }
  return count;
}

/**
 * Reads Hasura's `HASURA_GRAPHQL_*` variables and the engine's `ACCI_ENGINE_*` limits into an
 * `EngineConfig`. Throws an `Error` naming the variable and what it must contain when a value
 * is missing or invalid.
 */
export function engineConfigFromEnv(env: NodeJS.ProcessEnv): EngineConfig {
  const databaseUrl = nonEmpty(env, 'HASURA_GRAPHQL_DATABASE_URL');
  if (databaseUrl === undefined) {
    throw new Error(
      'HASURA_GRAPHQL_DATABASE_URL is missing: set it to a Postgres connection string ' +
        'such as postgres://user:password@host:5432/database.',
    );
  }
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(
      'HASURA_GRAPHQL_DATABASE_URL is invalid: expected a URL starting with postgres:// ' +
        'or postgresql://.',
    );
  }
  const jwtText = nonEmpty(env, 'HASURA_GRAPHQL_JWT_SECRET');
  return {
    databaseUrl,
    adminSecret: nonEmpty(env, 'HASURA_GRAPHQL_ADMIN_SECRET'),
    jwt: jwtText === undefined ? undefined : parseJwtConfig(jwtText),
    unauthorizedRole: nonEmpty(env, 'HASURA_GRAPHQL_UNAUTHORIZED_ROLE'),
    stringifyNumericTypes: parseBoolean(env, 'HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES'),
    enableAllowlist: parseBoolean(env, 'HASURA_GRAPHQL_ENABLE_ALLOWLIST'),
    port: parsePort(env),
    host: nonEmpty(env, 'HASURA_GRAPHQL_SERVER_HOST') ?? '*',
    metadataDir: nonEmpty(env, 'HASURA_GRAPHQL_METADATA_DIR'),
    devMode: parseBoolean(env, 'HASURA_GRAPHQL_DEV_MODE'),
    limits: {
      maxDepth: parseCount(env, 'ACCI_ENGINE_MAX_DEPTH', 15),
      maxNodes: parseCount(env, 'ACCI_ENGINE_MAX_NODES', 10000),
      statementTimeoutMs: parseCount(env, 'ACCI_ENGINE_STATEMENT_TIMEOUT_MS', 30000),
    },
    env: { ...env },
  };
}
