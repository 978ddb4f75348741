import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres.js';
import { applyMigrations } from '../../scripts/lib/migrate.js';
import { findFreePort } from '../../scripts/lib/ports.js';
import { startRedis } from '../../scripts/lib/redis.js';
import { databaseUrl, runOnServer, templateNames } from './db.js';
import { startLdap } from './ldap.js';
import { serviceEnv } from './services.js';

const root = resolve(import.meta.dirname, '../..');

/** What the teardown must stop; kept on globalThis, which Jest shares between the two hooks. */
export interface HarnessState {
  stops: Array<() => Promise<void>>;
  templates: string[];
  postgresUrl: string;
}

declare global {
  var acciHarness: HarnessState | undefined;
}

/**
 * Starts or connects to the servers the tests need and prepares the template databases.
 * A service whose *_URL variable is set is used as it is; otherwise a throwaway server is
 * started on a free port of 127.0.0.1 and stopped by the teardown.
 */
export default async function globalSetup(): Promise<void> {
  const state: HarnessState = { stops: [], templates: [], postgresUrl: '' };
  globalThis.acciHarness = state;
  const runId = randomBytes(4).toString('hex');
  process.env[serviceEnv.runId] = runId;

  state.postgresUrl = await postgres(state);
  process.env[serviceEnv.postgres] = state.postgresUrl;
  await prepareTemplates(state, runId);

  process.env[serviceEnv.redis] = await redis(state);
  process.env[serviceEnv.ldap] = await ldap(state);
}

async function postgres(state: HarnessState): Promise<string> {
  const given = process.env.DATABASE_URL;
  if (given !== undefined && given !== '') return databaseUrl(given, 'postgres');

  const dataDir = await mkdtemp(join(tmpdir(), 'acci-test-pg-'));
  // As root the server runs as the OS user postgres, which must be able to enter the folder.
  await chmod(dataDir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: join(dataDir, 'data'),
    port: await findFreePort(),
    password: randomBytes(12).toString('hex'),
  });
  state.stops.push(async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return server.url;
}

async function prepareTemplates(state: HarnessState, runId: string): Promise<void> {
  const { blank, migrated } = templateNames(runId);
  for (const name of [blank, migrated]) {
    await runOnServer(state.postgresUrl, `CREATE DATABASE "${name}"`);
    state.templates.push(name);
    await runOnServer(
      databaseUrl(state.postgresUrl, name),
      'CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS citext; ' +
        'CREATE EXTENSION IF NOT EXISTS ltree;',
    );
  }
  await applyMigrations(
    databaseUrl(state.postgresUrl, migrated),
    join(root, 'hasura/migrations/default'),
  );
}

async function redis(state: HarnessState): Promise<string> {
  const given = process.env.REDIS_URL;
  if (given !== undefined && given !== '') return given;
  const server = await startRedis(await findFreePort());
  state.stops.push(server.stop);
  return server.url;
}

async function ldap(state: HarnessState): Promise<string> {
  const given = process.env.LDAP_URL;
  if (given !== undefined && given !== '') return given;
  const server = await startLdap(await findFreePort());
  state.stops.push(server.stop);
  return server.url;
}
