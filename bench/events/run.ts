import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres.js';
import { findFreePort } from '../../scripts/lib/ports.js';
import { databaseUrl, runOnServer } from '../../tests/harness/db.js';
import { BenchReceiver } from './receiver.js';

// `npx tsx bench/events/run.ts`: event trigger figures of the engine against a throwaway
// PostgreSQL (or DATABASE_URL), all on 127.0.0.1. Engines run as child processes so that the
// fault run can kill one with SIGKILL. Prints a table and a JSON line, then exits.

const adminSecret = 'bench-admin-secret';
const floodRows = Number(process.env.BENCH_EVENTS ?? '5000');
const waitLimitMs = 180_000;

interface Child {
  process: ChildProcess;
  url: string;
}

function startChild(env: Record<string, string>): Promise<Child> {
  const child = fork(join(import.meta.dirname, 'engine.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) =>
      resolve({ process: child, url: (message as { url: string }).url }),
    );
    child.once('exit', (code) =>
      reject(new Error(`The engine exited with code ${code} before it was ready.`)),
    );
  });
}

function stopChild(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.process.once('exit', () => resolve());
    child.process.send('stop');
  });
}

function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Inserts rows `from`..`to` in transactions of `batch` rows; returns each row's commit time. */
async function insertRows(
  client: pg.Client,
  from: number,
  to: number,
  batch: number,
  pauseMs = 0,
): Promise<Map<number, number>> {
  const committed = new Map<number, number>();
  for (let start = from; start <= to; start += batch) {
    const end = Math.min(to, start + batch - 1);
    await client.query(
      'INSERT INTO public.bench_items (n) SELECT generate_series($1::int, $2::int)',
      [start, end],
    );
    const at = performance.now();
    for (let n = start; n <= end; n += 1) committed.set(n, at);
    if (pauseMs > 0) await sleep(pauseMs);
  }
  return committed;
}

function latencies(receiver: BenchReceiver, committed: Map<number, number>) {
  const values: number[] = [];
  for (const [n, at] of committed) {
    const arrived = receiver.firstArrival.get(n);
    if (arrived !== undefined) values.push(arrived - at);
  }
  values.sort((a, b) => a - b);
  return { p50Ms: percentile(values, 0.5), p99Ms: percentile(values, 0.99) };
}

interface Run {
  name: string;
  rows: number;
  delivered: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

async function throughputRun(
  client: pg.Client,
  receiver: BenchReceiver,
  env: Record<string, string>,
  concurrency: number,
  first: number,
): Promise<Run> {
  const child = await startChild({
    ...env,
    HASURA_GRAPHQL_EVENTS_HTTP_POOL_SIZE: String(concurrency),
  });
  receiver.reset();
  const rows = concurrency === 1 ? Math.min(floodRows, 2000) : floodRows;
  const started = performance.now();
  const committed = await insertRows(client, first, first + rows - 1, 100);
  await receiver.waitForRange(first, first + rows - 1, waitLimitMs);
  const last = Math.max(...receiver.firstArrival.values());
  await stopChild(child);
  return {
    name: `flood, ${concurrency} concurrent`,
    rows,
    delivered: receiver.firstArrival.size,
    perSecond: receiver.firstArrival.size / ((last - started) / 1000),
    ...latencies(receiver, committed),
  };
}

async function pacedRun(
  client: pg.Client,
  receiver: BenchReceiver,
  env: Record<string, string>,
  first: number,
) {
  const child = await startChild({ ...env, HASURA_GRAPHQL_EVENTS_HTTP_POOL_SIZE: '100' });
  receiver.reset();
  const rows = 1000;
  const started = performance.now();
  // One row per transaction, 100 transactions a second.
  const committed = await insertRows(client, first, first + rows - 1, 1, 10);
  await receiver.waitForRange(first, first + rows - 1, waitLimitMs);
  await stopChild(child);
  return {
    name: 'paced 100/s, 100 concurrent',
    rows,
    delivered: receiver.firstArrival.size,
    perSecond: rows / ((performance.now() - started) / 1000),
    ...latencies(receiver, committed),
  };
}

/**
 * Floods the table while the webhook is down for 30 s and the engine is killed with SIGKILL,
 * then counts every row delivered at least once after a new engine takes over.
 */
async function faultRun(
  client: pg.Client,
  receiver: BenchReceiver,
  env: Record<string, string>,
  first: number,
) {
  const faultEnv = { ...env, ACCI_EVENTS_LOCK_TIMEOUT_SECONDS: '15' };
  let child = await startChild(faultEnv);
  receiver.reset();
  const rows = floodRows;
  const started = performance.now();
  const inserting = insertRows(client, first, first + rows - 1, 100, 20);
  await sleep(1000);
  await receiver.stop();
  const webhookDown = performance.now();
  await sleep(2000);
  child.process.kill('SIGKILL');
  await new Promise((resolve) => child.process.once('exit', resolve));
  child = await startChild(faultEnv);
  await inserting;
  await sleep(Math.max(0, 30_000 - (performance.now() - webhookDown)));
  await receiver.start();
  const complete = await receiver.waitForRange(first, first + rows - 1, waitLimitMs);
  const recoveredAfterMs = performance.now() - started;
  await stopChild(child);
  const counted = await client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM hdb_catalog.event_log WHERE trigger_name = 'bench_items' AND delivered",
  );
  return {
    rows,
    deliveredAtLeastOnce: receiver.firstArrival.size,
    lost: rows - receiver.firstArrival.size,
    duplicates: receiver.deliveries - receiver.firstArrival.size,
    markedDelivered: counted.rows[0]?.n,
    complete,
    seconds: recoveredAfterMs / 1000,
  };
}

async function applyMetadata(url: string, webhook: string): Promise<void> {
  const metadata = {
    version: 3,
    sources: [
      {
        name: 'default',
        kind: 'postgres',
        configuration: {
          connection_info: { database_url: { from_env: 'HASURA_GRAPHQL_DATABASE_URL' } },
        },
        tables: [
          {
            table: { schema: 'public', name: 'bench_items' },
            event_triggers: [
              {
                name: 'bench_items',
                definition: { enable_manual: false, insert: { columns: '*' } },
                retry_conf: { num_retries: 100, interval_sec: 5, timeout_sec: 10 },
                webhook,
              },
            ],
          },
        ],
      },
    ],
  };
  const response = await fetch(`${url}/v1/metadata`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': adminSecret },
    body: JSON.stringify({ type: 'replace_metadata', args: metadata }),
  });
  if (response.status !== 200) throw new Error(`replace_metadata failed: ${await response.text()}`);
}

async function main(): Promise<void> {
  const receiver = new BenchReceiver();
  await receiver.start();
  const given = process.env.DATABASE_URL;
  const dataDir = await mkdtemp(join(tmpdir(), 'acci-bench-events-'));
  await chmod(dataDir, 0o755);
  const postgres =
    given === undefined || given === ''
      ? await startEmbeddedPostgres({
          dataDir: join(dataDir, 'pg'),
          port: await findFreePort(),
          password: 'bench',
        })
      : undefined;
  const server = postgres?.url ?? databaseUrl(given as string, 'postgres');
  const database = `acci_bench_events_${randomBytes(4).toString('hex')}`;
  await runOnServer(server, `CREATE DATABASE "${database}"`);
  const url = databaseUrl(server, database);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE TABLE public.bench_items (id bigserial PRIMARY KEY, n int NOT NULL)',
    );
    const env = {
      HASURA_GRAPHQL_DATABASE_URL: url,
      HASURA_GRAPHQL_ADMIN_SECRET: adminSecret,
      HASURA_GRAPHQL_SERVER_PORT: '0',
      HASURA_GRAPHQL_SERVER_HOST: '127.0.0.1',
      HASURA_GRAPHQL_EVENTS_FETCH_INTERVAL: process.env.BENCH_FETCH_INTERVAL ?? '50',
      BENCH_WEBHOOK: `http://127.0.0.1:${receiver.port}/`,
    };
    const setup = await startChild(env);
    await applyMetadata(setup.url, '{{BENCH_WEBHOOK}}');
    await stopChild(setup);

    const runs: Run[] = [];
    let next = 1;
    for (const concurrency of [1, 10, 100]) {
      const run = await throughputRun(client, receiver, env, concurrency, next);
      next += run.rows;
      runs.push(run);
    }
    const paced = await pacedRun(client, receiver, env, next);
    next += paced.rows;
    runs.push(paced);
    const fault = await faultRun(client, receiver, env, next);

    console.log('| run | rows | delivered | events/s | p50 ms | p99 ms |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const run of runs) {
      console.log(
        `| ${run.name} | ${run.rows} | ${run.delivered} | ${run.perSecond.toFixed(0)} | ${run.p50Ms.toFixed(1)} | ${run.p99Ms.toFixed(1)} |`,
      );
    }
    console.log(
      `fault: ${fault.rows} rows, ${fault.deliveredAtLeastOnce} delivered at least once, ${fault.lost} lost, ` +
        `${fault.duplicates} duplicates, ${fault.markedDelivered} marked delivered, done after ${fault.seconds.toFixed(1)} s`,
    );
    console.log(JSON.stringify({ cpus: cpus().length, load: loadavg(), runs, fault }));
    if (fault.lost > 0) process.exitCode = 1;
  } finally {
    await client.end();
    await receiver.stop();
    await runOnServer(server, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
