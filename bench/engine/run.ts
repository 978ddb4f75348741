import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres.js';
import { applyMigrations } from '../../scripts/lib/migrate.js';
import { findFreePort } from '../../scripts/lib/ports.js';
import { type BenchSize, seedBenchData } from '../tenancy/seed.js';
import { type ChildServer, engineEnv, startChild, waitFor } from './children.js';
import { benchJwtKey, signBenchToken } from './jwt.js';
import {
  engineRequests,
  type LoadResult,
  load,
  type OperationName,
  postGraphileRequests,
  type Request,
  rawRequests,
  sendOnce,
} from './operations.js';
import { rlsStatements } from './rls.js';
import { measureStartup, type StartupResult } from './wide.js';

// One command. It seeds a throwaway PostgreSQL with many tenants, then starts the engine,
// PostGraphile 5 and a raw SQL server one at a time, each in its own child process on
// 127.0.0.1, and loads each with autocannon from this process. Last it measures the engine's
// start-up over 500 generated tables. Everything stops when it is done.

const root = resolve(import.meta.dirname, '../..');
const size: BenchSize = {
  tenants: Number(process.env.BENCH_TENANTS ?? 200),
  usersPerTenant: Number(process.env.BENCH_USERS_PER_TENANT ?? 250),
};
const seconds = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const wideTables = Number(process.env.BENCH_TABLES ?? 500);
const suffix = `${process.pid}`;
const databases = {
  engine: `bench_engine_${suffix}`,
  postgraphile: `bench_postgraphile_${suffix}`,
  wide: `bench_wide_${suffix}`,
};
const operations: OperationName[] = ['row by primary key', 'page of 50 users', 'count of users'];
type ServerName = 'engine' | 'PostGraphile' | 'raw SQL' | 'raw SQL in a transaction';

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(adminUrl: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The caller reader@bench-1.test, with the roles user and reader, and tenant_admin added here. */
interface Caller {
  token: string;
  otherUserId: string;
}

async function prepareCaller(url: string): Promise<Caller> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO user_roles (tenant_id, user_id, role_id)
       SELECT u.tenant_id, u.id, r.id FROM users u
         JOIN roles r ON r.tenant_id = u.tenant_id AND r.name = 'tenant_admin'
        WHERE u.email = 'reader@bench-1.test'`,
    );
    const result = await client.query<{ id: string; tenant_id: string; session_id: string }>(
      `SELECT u.id, u.tenant_id, s.id AS session_id FROM users u
         JOIN active_sessions s ON s.user_id = u.id
        WHERE u.email = 'reader@bench-1.test' LIMIT 1`,
    );
    const other = await client.query<{ id: string }>(
      `SELECT id FROM users WHERE email = 'user2@bench-1.test'`,
    );
    const reader = result.rows[0];
    const otherUserId = other.rows[0]?.id;
    if (reader === undefined || otherUserId === undefined)
      throw new Error('The seed data lacks reader@bench-1.test or user2@bench-1.test.');
    const token = signBenchToken({
      'x-hasura-allowed-roles': ['user', 'tenant_admin'],
      'x-hasura-default-role': 'user',
      'x-hasura-user-id': reader.id,
      'x-hasura-tenant-id': reader.tenant_id,
      'x-hasura-session-id': reader.session_id,
    });
    return { token, otherUserId };
  } finally {
    await client.end();
  }
}

/** Throws unless a server's three responses contain the expected user, page size and count. */
function checkResponses(server: ServerName, responses: unknown[], usersPerTenant: number): void {
  const [pk, page, count] = responses.map((response) => JSON.stringify(response));
  const pageSize = (page?.match(/"email"/g) ?? []).length;
  const ok =
    pk?.includes('user2@bench-1.test') === true &&
    pageSize === 50 &&
    count?.includes(`:${usersPerTenant}`) === true;
  if (!ok)
    throw new Error(
      `${server} returned unexpected data: ${responses.map((response) => JSON.stringify(response).slice(0, 300))}`,
    );
}

async function measureServer(
  server: ServerName,
  baseUrl: string,
  requests: Record<OperationName, Request>,
): Promise<Map<OperationName, LoadResult>> {
  const responses: unknown[] = [];
  for (const operation of operations) responses.push(await sendOnce(baseUrl, requests[operation]));
  checkResponses(server, responses, size.usersPerTenant);

  const results = new Map<OperationName, LoadResult>();
  for (const operation of operations) {
    await load(baseUrl, requests[operation], warmupSeconds, connections);
    results.set(operation, await load(baseUrl, requests[operation], seconds, connections));
    process.stdout.write(`  ${server}, ${operation}: done\n`);
  }
  return results;
}

async function startServer(server: ServerName, urls: Record<string, string>, port: number) {
  const env = { BENCH_PORT: String(port) };
  let child: ChildServer;
  if (server === 'engine') {
    const metadata = join(root, 'hasura/metadata');
    child = startChild(
      'engine/src/main.ts',
      engineEnv(urls.engine ?? '', port, metadata, benchJwtKey),
    );
  } else if (server === 'PostGraphile') {
    child = startChild(
      'bench/engine/postgraphile-server.ts',
      { ...env, BENCH_PG_URL: urls.postgraphile ?? '', GRAPHILE_ENV: 'production' },
      [resolve(root, 'bench/engine/polyfill.ts')],
    );
  } else {
    const transaction = server === 'raw SQL' ? '0' : '1';
    child = startChild('bench/engine/raw-server.ts', {
      ...env,
      BENCH_PG_URL: urls.engine ?? '',
      BENCH_RAW_TRANSACTION: transaction,
    });
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  const listening = async () => (await fetch(`${baseUrl}/healthz`)).status > 0;
  await waitFor(listening, 120_000, server, child.child);
  return { child, baseUrl };
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'acci-bench-engine-'));
  // PostgreSQL runs as the OS user postgres when this runs as root, and must enter the folder.
  await chmod(work, 0o755);
  const stops: Array<() => Promise<void>> = [];
  let adminUrl = process.env.BENCH_DATABASE_URL;
  try {
    if (adminUrl === undefined) {
      const postgres = await startEmbeddedPostgres({
        dataDir: join(work, 'postgres'),
        port: await findFreePort(),
        password: 'bench',
      });
      stops.push(postgres.stop);
      adminUrl = postgres.url;
    }
    const admin = adminUrl;
    stops.push(() =>
      adminQuery(
        admin,
        Object.values(databases).map((name) => `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ),
    );
    await adminQuery(admin, [`CREATE DATABASE ${databases.engine}`]);
    const urls = {
      engine: databaseUrl(admin, databases.engine),
      postgraphile: databaseUrl(admin, databases.postgraphile),
      wide: databaseUrl(admin, databases.wide),
    };
    await applyMigrations(urls.engine, join(root, 'hasura/migrations/default'));
    process.stdout.write(`Seeding ${size.tenants} tenants x ${size.usersPerTenant} users...\n`);
    await seedBenchData(urls.engine, size);
    const caller = await prepareCaller(urls.engine);
    await adminQuery(admin, [
      `CREATE DATABASE ${databases.postgraphile} TEMPLATE ${databases.engine}`,
      `CREATE DATABASE ${databases.wide}`,
    ]);
    await adminQuery(urls.postgraphile, rlsStatements);

    const byServer = new Map<ServerName, Map<OperationName, LoadResult>>();
    const requestsOf = {
      engine: engineRequests,
      PostGraphile: postGraphileRequests,
      'raw SQL': rawRequests,
      'raw SQL in a transaction': rawRequests,
    };
    const servers = ['engine', 'PostGraphile', 'raw SQL', 'raw SQL in a transaction'] as const;
    for (const server of servers) {
      const { child, baseUrl } = await startServer(server, urls, await findFreePort());
      try {
        const requests = requestsOf[server](caller.token, caller.otherUserId);
        byServer.set(server, await measureServer(server, baseUrl, requests));
      } finally {
        await child.stop();
      }
    }
    const startup = await measureStartup(
      urls.wide,
      work,
      await findFreePort(),
      wideTables,
      benchJwtKey,
    );
    report(byServer, startup);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

function report(
  byServer: Map<ServerName, Map<OperationName, LoadResult>>,
  startup: StartupResult,
): void {
  const write = (line: string) => process.stdout.write(`${line}\n`);
  write(
    `\n${size.tenants} tenants, ${size.tenants * size.usersPerTenant} users; ${seconds} s per run ` +
      `after ${warmupSeconds} s warm-up, ${connections} connections; ${cpus().length} CPUs\n`,
  );
  write('| operation | server | req/s | p50 ms | p99 ms |');
  write('| --- | --- | ---: | ---: | ---: |');
  const ratios: string[] = [];
  for (const operation of operations) {
    for (const [server, results] of byServer) {
      const figures = results.get(operation);
      if (figures === undefined) continue;
      write(
        `| ${operation} | ${server} | ${figures.requestsPerSecond.toFixed(0)} | ` +
          `${figures.p50} | ${figures.p99} |`,
      );
    }
    const rate = (server: ServerName) =>
      byServer.get(server)?.get(operation)?.requestsPerSecond ?? 0;
    const engine = rate('engine');
    ratios.push(
      `| ${operation} | ${(engine / rate('PostGraphile')).toFixed(2)} | ` +
        `${(engine / rate('raw SQL')).toFixed(2)} | ` +
        `${(engine / rate('raw SQL in a transaction')).toFixed(2)} |`,
    );
  }
  write(
    '\n| operation | engine / PostGraphile (target >= 1) | engine / raw SQL (target >= 0.70) ' +
      '| engine / raw SQL in a transaction |',
  );
  write('| --- | ---: | ---: | ---: |');
  for (const line of ratios) write(line);
  write(
    `\nStart-up with ${startup.tables} tables and 4 roles: /healthz after ` +
      `${startup.healthzMs.toFixed(0)} ms, ready (introspection per role) after ` +
      `${startup.readyMs.toFixed(0)} ms (target < 3000); RSS ${startup.rssAfterStartMiB.toFixed(0)} MiB ` +
      `after start, ${startup.rssAfterIntrospectionMiB.toFixed(0)} MiB after introspection ` +
      '(target < 200 MB)',
  );
}

await main();
