import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateSigningKey, loadActionsConfig, startActionServer } from '@acci/actions';
import { engineConfigFromEnv, startEngine } from '@acci/engine';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { applyMetadataToHasura } from './hasura-remote.js';
import { applyMigrations } from './migrate.js';
import type { PlatformConfig } from './platform-config.js';
import { isPortFree } from './ports.js';
import { loadOrCreateSecrets } from './secrets.js';
import { seedDemoData } from './seed.js';
import { startConsole } from './web.js';

const root = resolve(import.meta.dirname, '../..');
export const hasuraProject = join(root, 'hasura');

/** A running platform: its addresses, its demo sign-in and a way to stop it. */
export interface Platform {
  urls: { graphql: string; engine: string; actions: string; console: string | undefined };
  databaseUrl: string;
  adminSecret: string;
  demoPassword: string;
  /** True when this start seeded the demo data, so the demo password was just set. */
  seeded: boolean;
  stop(): Promise<void>;
}

type Log = (message: string) => void;

/**
 * Starts the whole platform as `npm start` does: Postgres (embedded unless DATABASE_URL is
 * given), migrations, the demo seed on first run, the action server, the engine (or, with
 * HASURA_URL, the metadata applied to that Hasura) and the console. Each server that started
 * is stopped again when a later step fails.
 */
export async function startPlatform(config: PlatformConfig, log: Log): Promise<Platform> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => log(String(error)));
  };
  try {
    return await startSteps(config, log, stops, stopAll);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function startSteps(
  config: PlatformConfig,
  log: Log,
  stops: Array<() => Promise<void>>,
  stopAll: () => Promise<void>,
): Promise<Platform> {
  await assertPortsFree(config);
  await mkdir(config.dataDir, { recursive: true });
  const secrets = await loadOrCreateSecrets(config.dataDir, { jwtPrivateKey: generateSigningKey });
  const adminSecret = config.adminSecret ?? secrets.adminSecret;
  const demoPassword = config.demoPassword ?? secrets.demoPassword;

  let databaseUrl = config.databaseUrl;
  if (databaseUrl === undefined) {
    log(`Starting the embedded PostgreSQL on 127.0.0.1:${config.ports.postgres}.`);
    const server = await startEmbeddedPostgres({
      dataDir: join(config.dataDir, 'postgres'),
      port: config.ports.postgres,
      password: secrets.postgresPassword,
    });
    stops.push(server.stop);
    databaseUrl = await ensureDatabase(server.url, 'acci');
  }

  const applied = await applyMigrations(
    databaseUrl,
    join(hasuraProject, 'migrations/default'),
  ).catch((error: unknown) => {
    throw connectionError(config, databaseUrl ?? '', error);
  });
  if (applied.length > 0) log(`Applied migrations ${applied.join(', ')}.`);
  const seeded = await seedDemoData(
    databaseUrl,
    join(hasuraProject, 'seeds/default'),
    demoPassword,
  );
  if (seeded) log('Seeded the demo tenants demo.test and acme.test.');

  const actionSecret = process.env.ACTION_SECRET || secrets.actionSecret;
  const actions = await startActionServer(
    loadActionsConfig({
      // Every setting of the environment reaches the action server. The launcher fills in the
      // ones it manages, and a value set in the environment wins over a generated one.
      ...process.env,
      // The action server may use a database role of its own (acci_actions), which the
      // tenant row-level security policies let write without a Hasura session.
      DATABASE_URL: process.env.ACTIONS_DATABASE_URL || databaseUrl,
      ACTIONS_HOST: config.host,
      ACTIONS_PORT: String(config.ports.actions),
      ACTION_SECRET: actionSecret,
      ACCI_JWT_PRIVATE_KEY: process.env.ACCI_JWT_PRIVATE_KEY || secrets.jwtPrivateKey,
      // A key ring of the environment wins, so a rotation set there is not undone.
      ACCI_ENCRYPTION_KEYS: process.env.ACCI_ENCRYPTION_KEYS || secrets.encryptionKeys,
      REDIS_URL: config.redisUrl,
      // Plugins call back into GraphQL here. The engine starts after the action server, so
      // only a fixed port is known in advance; with port 0 plugins need their own setting.
      ACCI_GRAPHQL_URL: process.env.ACCI_GRAPHQL_URL || graphqlUrlFor(config),
    }),
  );
  stops.push(actions.close);

  const engineUrl = await startGraphqlServer(config, {
    databaseUrl,
    adminSecret,
    actionsUrl: actions.url,
    actionSecret,
    stops,
  });

  let consoleUrl: string | undefined;
  if (config.web) {
    const web = await startConsole({
      host: config.host,
      port: config.ports.web,
      graphqlUrl: `${engineUrl}/v1/graphql`,
    });
    stops.push(web.close);
    consoleUrl = web.url;
  }

  return {
    urls: {
      graphql: `${engineUrl}/v1/graphql`,
      engine: engineUrl,
      actions: actions.url,
      console: consoleUrl,
    },
    databaseUrl,
    adminSecret,
    demoPassword,
    seeded,
    stop: stopAll,
  };
}

interface GraphqlServerInputs {
  databaseUrl: string;
  adminSecret: string;
  actionsUrl: string;
  actionSecret: string;
  stops: Array<() => Promise<void>>;
}

/**
 * Starts the engine on the migrated database, or applies the metadata to the Hasura named by
 * HASURA_URL. Returns the base URL of whichever serves GraphQL.
 */
async function startGraphqlServer(config: PlatformConfig, inputs: GraphqlServerInputs) {
  if (config.hasuraUrl !== undefined) {
    await applyMetadataToHasura(
      config.hasuraUrl,
      inputs.adminSecret,
      join(hasuraProject, 'metadata'),
    );
    return config.hasuraUrl;
  }
  const engine = await startEngine(
    engineConfigFromEnv({
      ...process.env,
      // The metadata resolves {{ACTION_BASE_URL}} and value_from_env: ACTION_SECRET from the
      // environment of the GraphQL server, as Hasura does.
      ACTION_BASE_URL: inputs.actionsUrl,
      ACTION_SECRET: inputs.actionSecret,
      HASURA_GRAPHQL_DATABASE_URL: inputs.databaseUrl,
      HASURA_GRAPHQL_ADMIN_SECRET: inputs.adminSecret,
      HASURA_GRAPHQL_JWT_SECRET: JSON.stringify({
        type: 'RS256',
        jwk_url: `${inputs.actionsUrl}/.well-known/jwks.json`,
        issuer: 'acci',
      }),
      HASURA_GRAPHQL_UNAUTHORIZED_ROLE: 'anonymous',
      HASURA_GRAPHQL_SERVER_HOST: config.host,
      HASURA_GRAPHQL_SERVER_PORT: String(config.ports.engine),
      HASURA_GRAPHQL_METADATA_DIR: join(hasuraProject, 'metadata'),
      HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES: 'true',
      HASURA_GRAPHQL_DEV_MODE: process.env.HASURA_GRAPHQL_DEV_MODE,
    }),
    { log: writeEngineLog },
  );
  inputs.stops.push(engine.close);
  return engine.url;
}

/**
 * Fails before anything starts when a port the platform needs is taken, naming the variable
 * that moves it. Port 0 lets the kernel pick a free port, so it is never taken.
 */
async function assertPortsFree(config: PlatformConfig): Promise<void> {
  const wanted: Array<[string, number, boolean]> = [
    ['ACCI_POSTGRES_PORT', config.ports.postgres, config.databaseUrl === undefined],
    ['HASURA_GRAPHQL_SERVER_PORT', config.ports.engine, config.hasuraUrl === undefined],
    ['ACTIONS_PORT', config.ports.actions, true],
    ['ACCI_WEB_PORT', config.ports.web, config.web],
  ];
  for (const [variable, port, needed] of wanted) {
    if (!needed || port === 0 || (await isPortFree(config.host, port))) continue;
    throw new Error(
      `Port ${port} on ${config.host} is already in use: stop what listens there or set ` +
        `${variable} to a free port.`,
    );
  }
}

/** Names the setting behind a database that could not be reached, without its password. */
function connectionError(config: PlatformConfig, databaseUrl: string, error: unknown): Error {
  const reason = String(error).replace(/^Error: /, '');
  if (config.databaseUrl === undefined) return error instanceof Error ? error : new Error(reason);
  const url = new URL(databaseUrl);
  return new Error(
    `Could not use DATABASE_URL (${url.hostname}:${url.port || '5432'}${url.pathname}): ` +
      `${reason}. Check that the server runs and accepts the user and password.`,
    { cause: error },
  );
}

function graphqlUrlFor(config: PlatformConfig): string | undefined {
  if (config.hasuraUrl !== undefined) return `${config.hasuraUrl}/v1/graphql`;
  if (config.ports.engine === 0) return undefined;
  return `http://${config.host}:${config.ports.engine}/v1/graphql`;
}

/** Writes an engine log entry as one JSON line on stdout, as `npm run engine` does. */
function writeEngineLog(entry: object): void {
  if ((entry as { level?: unknown }).level === 'debug') return;
  process.stdout.write(`${JSON.stringify({ service: 'acci-engine', ...entry })}\n`);
}

/** Creates the database when it does not exist and returns its connection string. */
async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
