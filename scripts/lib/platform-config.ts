import { resolve } from 'node:path';

/** Settings of `npm start`, read once from the environment. */
export interface PlatformConfig {
  /** Folder of the embedded Postgres cluster and the generated secrets. */
  dataDir: string;
  /** External Postgres; when absent, an embedded one runs from dataDir. */
  databaseUrl: string | undefined;
  /** A running Hasura to apply the metadata to instead of starting the engine. */
  hasuraUrl: string | undefined;
  adminSecret: string | undefined;
  demoPassword: string | undefined;
  redisUrl: string | undefined;
  /** Address every server binds to. */
  host: string;
  ports: { postgres: number; engine: number; actions: number; web: number };
  /** Start the Vite dev server of the console. */
  web: boolean;
}

/** A setting that is missing or malformed; the message names the variable and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const root = resolve(import.meta.dirname, '../..');

/** Reads and validates the settings of the platform launcher. */
export function platformConfigFromEnv(env: NodeJS.ProcessEnv): PlatformConfig {
  return {
    dataDir: resolve(root, optional(env, 'ACCI_DATA_DIR') ?? '.acci'),
    databaseUrl: postgresUrl(env, 'DATABASE_URL'),
    hasuraUrl: httpUrl(env, 'HASURA_URL'),
    adminSecret: optional(env, 'HASURA_GRAPHQL_ADMIN_SECRET'),
    demoPassword: demoPassword(env),
    redisUrl: optional(env, 'REDIS_URL'),
    host: optional(env, 'ACCI_HOST') ?? '127.0.0.1',
    ports: {
      postgres: port(env, 'ACCI_POSTGRES_PORT', 5433),
      engine: port(env, 'HASURA_GRAPHQL_SERVER_PORT', 8080),
      actions: port(env, 'ACTIONS_PORT', 3000),
      web: port(env, 'ACCI_WEB_PORT', 5173),
    },
    web: booleanSetting(env, 'ACCI_WEB', true),
  };
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function booleanSetting(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = optional(env, name);
  if (text === undefined) return fallback;
  if (text === 'true' || text === 'false') return text === 'true';
  throw new ConfigError(`${name} is "${text}": it must be true or false.`);
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = optional(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`${name} is "${text}": it must be a TCP port between 0 and 65535.`);
  }
  return value;
}

function postgresUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = optional(env, name);
  if (text === undefined) return undefined;
  if (!/^postgres(ql)?:\/\//.test(text) || !URL.canParse(text)) {
    throw new ConfigError(
      `${name} is not a PostgreSQL connection string: it must look like ` +
        'postgres://user:password@host:5432/database.',
    );
  }
  return text;
}

function httpUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = optional(env, name);
  if (text === undefined) return undefined;
  if (!/^https?:\/\//.test(text) || !URL.canParse(text)) {
    throw new ConfigError(`${name} is "${text}": it must be an http:// or https:// URL.`);
  }
  return text.replace(/\/+$/, '');
}

function demoPassword(env: NodeJS.ProcessEnv): string | undefined {
  const text = env.ACCI_ADMIN_PASSWORD;
  if (text === undefined || text === '') return undefined;
  if (text.length < 8) {
    throw new ConfigError('ACCI_ADMIN_PASSWORD is shorter than 8 characters: choose a longer one.');
  }
  return text;
}
