import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSigningKey, loadActionsConfig, startActionServer } from '@acci/actions';
import { engineConfigFromEnv, type RunningEngine, startEngine } from '@acci/engine';
import autocannon from 'autocannon';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres.js';
import { applyMigrations } from '../../scripts/lib/migrate.js';
import { findFreePort } from '../../scripts/lib/ports.js';
import { type BenchSize, benchUser, seedBenchData } from './seed.js';
import { writeStrippedMetadata } from './strip.js';

// One command: starts a throwaway PostgreSQL, the action server and two engines on 127.0.0.1,
// loads many tenants, and compares the page-of-users query with and without the
// session-revocation and role-grant clauses. Everything stops when it is done.

const root = resolve(import.meta.dirname, '../..');
const size: BenchSize = {
  tenants: Number(process.env.BENCH_TENANTS ?? 200),
  usersPerTenant: Number(process.env.BENCH_USERS_PER_TENANT ?? 250),
};
const durationSeconds = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const pageQuery = `query UsersPage {
  users(order_by: {email: asc}, limit: 50) {
    id email first_name last_name status
    user_roles { role { name } }
  }
}`;

function engineEnv(databaseUrl: string, actionsUrl: string, metadataDir: string) {
  return engineConfigFromEnv({
    ACTION_BASE_URL: actionsUrl,
    ACTION_SECRET: 'bench-action-secret-0123456789abcdef',
    HASURA_GRAPHQL_DATABASE_URL: databaseUrl,
    HASURA_GRAPHQL_ADMIN_SECRET: 'bench-admin-secret',
    HASURA_GRAPHQL_JWT_SECRET: JSON.stringify({
      type: 'RS256',
      jwk_url: `${actionsUrl}/.well-known/jwks.json`,
      issuer: 'acci',
    }),
    HASURA_GRAPHQL_UNAUTHORIZED_ROLE: 'anonymous',
    HASURA_GRAPHQL_SERVER_HOST: '127.0.0.1',
    HASURA_GRAPHQL_SERVER_PORT: '0',
    HASURA_GRAPHQL_METADATA_DIR: metadataDir,
  });
}

async function post(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
}

async function signIn(engine: RunningEngine): Promise<string> {
  const result = await post(`${engine.url}/v1/graphql`, {
    query: `mutation ($t: String!, $e: String!, $p: String!) {
      login(tenantId: $t, email: $e, password: $p) { accessToken } }`,
    variables: { t: benchUser.tenant, e: benchUser.email, p: benchUser.password },
  });
  const data = result.data as { login?: { accessToken?: string } } | undefined;
  const token = data?.login?.accessToken;
  if (token === undefined) throw new Error(`Sign-in failed: ${JSON.stringify(result)}`);
  return token;
}

/** Throws unless the page contains 50 users, so both variants do the same work. */
async function checkPage(engine: RunningEngine, token: string): Promise<void> {
  const result = await post(`${engine.url}/v1/graphql`, { query: pageQuery }, token);
  const users = (result.data as { users?: unknown[] } | undefined)?.users;
  if (users?.length !== 50) throw new Error(`Expected 50 users, got ${JSON.stringify(result)}`);
}

async function load(engine: RunningEngine, token: string) {
  const result = await autocannon({
    url: `${engine.url}/v1/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: pageQuery }),
    connections,
    duration: durationSeconds,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${result.non2xx} non-2xx responses and ${result.errors} errors.`);
  }
  return { requests: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'acci-bench-'));
  // PostgreSQL runs as the OS user postgres when this runs as root, and must enter the folder.
  await chmod(work, 0o755);
  const stops: Array<() => Promise<void>> = [];
  try {
    const postgres = await startEmbeddedPostgres({
      dataDir: join(work, 'postgres'),
      port: await findFreePort(),
      password: 'bench',
    });
    stops.push(postgres.stop);
    const databaseUrl = postgres.url;
    await applyMigrations(databaseUrl, join(root, 'hasura/migrations/default'));
    process.stdout.write(`Seeding ${size.tenants} tenants x ${size.usersPerTenant} users...\n`);
    await seedBenchData(databaseUrl, size);

    const actions = await startActionServer(
      loadActionsConfig({
        DATABASE_URL: databaseUrl,
        ACTIONS_PORT: '0',
        ACTION_SECRET: 'bench-action-secret-0123456789abcdef',
        ACCI_JWT_PRIVATE_KEY: await generateSigningKey(),
        LOG_LEVEL: 'silent',
      }),
    );
    stops.push(actions.close);
    const stripped = join(work, 'metadata-without-clauses');
    await writeStrippedMetadata(join(root, 'hasura/metadata'), stripped);
    const full = await startEngine(
      engineEnv(databaseUrl, actions.url, join(root, 'hasura/metadata')),
    );
    stops.push(full.close);
    const bare = await startEngine(engineEnv(databaseUrl, actions.url, stripped));
    stops.push(bare.close);

    const token = await signIn(full);
    await checkPage(full, token);
    await checkPage(bare, token);
    await report(full, bare, token);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

async function report(full: RunningEngine, bare: RunningEngine, token: string): Promise<void> {
  const results = { with: [] as number[], without: [] as number[] };
  const latency = { with: { p50: 0, p99: 0 }, without: { p50: 0, p99: 0 } };
  for (let round = 1; round <= rounds; round += 1) {
    // Alternating the order spreads drift of a shared machine over both variants.
    const order = round % 2 === 1 ? (['with', 'without'] as const) : (['without', 'with'] as const);
    for (const variant of order) {
      const figures = await load(variant === 'with' ? full : bare, token);
      results[variant].push(figures.requests);
      latency[variant] = { p50: figures.p50, p99: figures.p99 };
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const withClauses = mean(results.with);
  const withoutClauses = mean(results.without);
  const cost = (1 - withClauses / withoutClauses) * 100;
  const rows = [
    ['variant', 'req/s (mean)', 'p50 ms', 'p99 ms'],
    [
      'without clauses',
      withoutClauses.toFixed(0),
      String(latency.without.p50),
      String(latency.without.p99),
    ],
    ['with clauses', withClauses.toFixed(0), String(latency.with.p50), String(latency.with.p99)],
  ];
  process.stdout.write(
    `\n${size.tenants} tenants, ${size.tenants * size.usersPerTenant} users; ${rounds} rounds of ` +
      `${durationSeconds} s, ${connections} connections; ${cpus().length} CPUs\n`,
  );
  for (const row of rows) process.stdout.write(`${row.map((cell) => cell.padEnd(18)).join('')}\n`);
  process.stdout.write(`\nThroughput cost of the clauses: ${cost.toFixed(1)} % (target < 25 %)\n`);
}

await main();
