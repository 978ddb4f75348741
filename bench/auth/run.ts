import { type ChildProcess, fork } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSigningKey } from '@acci/actions';
import { createVerifier } from '../../engine/src/auth/jwt.js';
import { parseJwtConfig } from '../../engine/src/config/jwt-config.js';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres.js';
import { applyMigrations } from '../../scripts/lib/migrate.js';
import { findFreePort } from '../../scripts/lib/ports.js';
import { seedDemoData } from '../../scripts/lib/seed.js';
import { closedLoop, type LoadResult } from './load.js';

// `npm run bench:auth`: sign-in, refresh and JWT verification figures of the action server
// against a throwaway embedded PostgreSQL, all on 127.0.0.1. Prints one table and exits.

const root = resolve(import.meta.dirname, '../..');
const secret = 'bench-action-secret-0123456789abcdef';
const password = 'Bench-Passw0rd-auth';
const seconds = Number(process.env.BENCH_SECONDS ?? '8');

interface Report {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function ask(child: ChildProcess, message: string): Promise<Record<string, unknown>> {
  return new Promise((resolveReply) => {
    child.once('message', (reply) => resolveReply(reply as Record<string, unknown>));
    child.send(message);
  });
}

async function startChild(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(join(import.meta.dirname, 'action-server.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Record<string, unknown>>((resolveReady, reject) => {
    child.once('message', (message) => resolveReady(message as Record<string, unknown>));
    child.once('exit', (code) => reject(new Error(`The action server exited with ${code}.`)));
  });
  return { child, url: String(ready.url) };
}

async function action(url: string, path: string, name: string, input: object) {
  const response = await fetch(`${url}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-acci-action-secret': secret },
    body: JSON.stringify({
      action: { name },
      input,
      session_variables: { 'x-hasura-role': 'anonymous' },
    }),
  });
  return { ok: response.status === 200, body: (await response.json()) as Record<string, unknown> };
}

const login = (url: string) =>
  action(url, 'login', 'login', { tenantId: 'demo.test', email: 'admin@demo.test', password });

async function measured(child: ChildProcess, run: () => Promise<LoadResult>) {
  await ask(child, 'reset');
  const result = await run();
  const loop = (await ask(child, 'report')) as unknown as Report;
  return { ...result, loopP99Ms: loop.p99Ms };
}

async function benchSignIn(child: ChildProcess, url: string, concurrency: number) {
  return measured(child, () =>
    closedLoop({
      concurrency,
      durationMs: seconds * 1000,
      setup: async () => null,
      request: async (state) => ({ ok: (await login(url)).ok, state }),
    }),
  );
}

async function benchRefresh(child: ChildProcess, url: string, concurrency: number) {
  return measured(child, () =>
    closedLoop({
      concurrency,
      durationMs: seconds * 1000,
      setup: async () => String((await login(url)).body.refreshToken),
      request: async (token) => {
        const result = await action(url, 'refresh-token', 'refreshToken', { refreshToken: token });
        return { ok: result.ok, state: String(result.body.refreshToken) };
      },
    }),
  );
}

/** Verifications per second of the engine's verifier, keys fetched from the JWKS as in production. */
async function benchJwt(url: string): Promise<number> {
  const config = parseJwtConfig(
    JSON.stringify({ type: 'RS256', jwk_url: `${url}/.well-known/jwks.json`, issuer: 'acci' }),
  );
  const verify = await createVerifier(config, () => {});
  const token = String((await login(url)).body.accessToken);
  await verify(token);
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    await verify(token);
    count += 1;
  }
  return count / ((performance.now() - started) / 1000);
}

const format = (value: number) =>
  Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : '-';

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'acci-bench-auth-'));
  // As root, PostgreSQL runs as the user postgres, which must be able to enter the folder.
  await chmod(dataDir, 0o711);
  const postgres = await startEmbeddedPostgres({
    dataDir: join(dataDir, 'postgres'),
    port: await findFreePort(),
    password: 'bench',
  });
  let child: ChildProcess | undefined;
  try {
    await applyMigrations(postgres.url, join(root, 'hasura/migrations/default'));
    await seedDemoData(postgres.url, join(root, 'hasura/seeds/default'), password);
    const started = await startChild({
      DATABASE_URL: postgres.url,
      ACTIONS_PORT: '0',
      ACTION_SECRET: secret,
      ACCI_JWT_PRIVATE_KEY: await generateSigningKey(),
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_IP: '1000000',
      AUTH_RATE_LIMIT_PER_ACCOUNT: '1000000',
    });
    child = started.child;

    const rows: string[][] = [];
    for (const concurrency of [1, 8, 32]) {
      const r = await benchSignIn(child, started.url, concurrency);
      rows.push([
        `sign-in c=${concurrency}`,
        format(r.perSecond),
        format(r.p50Ms),
        format(r.p99Ms),
        format(r.loopP99Ms),
        String(r.errors),
      ]);
    }
    for (const concurrency of [1, 8]) {
      const r = await benchRefresh(child, started.url, concurrency);
      rows.push([
        `refresh c=${concurrency}`,
        format(r.perSecond),
        format(r.p50Ms),
        format(r.p99Ms),
        format(r.loopP99Ms),
        String(r.errors),
      ]);
    }
    const jwt = await benchJwt(started.url);
    rows.push(['engine JWT verify c=1', format(jwt), '-', '-', '-', '0']);

    const load = loadavg().map((value) => value.toFixed(1));
    console.log(
      `ACCI auth benchmark: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ` +
        `Node ${process.version}, ${seconds} s per row, load average ${load.join(' ')} at the end`,
    );
    const header = ['case', 'req/s', 'p50 ms', 'p99 ms', 'loop p99 ms', 'errors'];
    console.log(`| ${header.join(' | ')} |`);
    console.log(`| ${header.map(() => '---').join(' | ')} |`);
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  } finally {
    if (child !== undefined) {
      const exited = new Promise((resolveExit) => child?.once('exit', resolveExit));
      child.send('stop');
      await exited;
    }
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
