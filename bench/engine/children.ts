import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** A server in a child process of this one. */
export interface ChildServer {
  child: ChildProcess;
  /** Sends SIGTERM, then SIGKILL after 5 s, and resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx <file>` (plus any `imports` after tsx) with `env` added.
 * `BENCH_NODE_FLAGS` adds Node flags, for example `--cpu-prof --cpu-prof-dir=/tmp/prof`,
 * which Node 20 does not accept in NODE_OPTIONS.
 */
export function startChild(file: string, env: Record<string, string>, imports: string[] = []) {
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
  const flags = [...extra, '--import', 'tsx', ...imports.flatMap((name) => ['--import', name])];
  const child = spawn(process.execPath, [...flags, resolve(root, file)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { child, stop } satisfies ChildServer;
}

/**
 * Polls `probe` every 20 ms until it returns true; throws after `timeoutMs`, or as soon as
 * `child` has exited. A rejected probe counts as not ready yet.
 */
export async function waitFor(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  label: string,
  child?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (child !== undefined && child.exitCode !== null) {
      throw new Error(`${label} exited with code ${child.exitCode} while starting.`);
    }
    if (Date.now() > deadline) throw new Error(`${label} was not ready within ${timeoutMs} ms.`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** Resident set size of a process in MiB, from /proc (Linux only). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`No VmRSS line in /proc/${pid}/status.`);
  return Number(match[1]) / 1024;
}

/** Environment of an engine child over `databaseUrl` with `metadataDir`. */
export function engineEnv(databaseUrl: string, port: number, metadataDir: string, jwtKey: string) {
  return {
    HASURA_GRAPHQL_DATABASE_URL: databaseUrl,
    HASURA_GRAPHQL_ADMIN_SECRET: 'bench-admin-secret',
    HASURA_GRAPHQL_JWT_SECRET: JSON.stringify({ type: 'HS256', key: jwtKey }),
    HASURA_GRAPHQL_UNAUTHORIZED_ROLE: 'anonymous',
    HASURA_GRAPHQL_SERVER_HOST: '127.0.0.1',
    HASURA_GRAPHQL_SERVER_PORT: String(port),
    HASURA_GRAPHQL_METADATA_DIR: metadataDir,
    ACTION_BASE_URL: 'http://127.0.0.1:9',
    ACTION_SECRET: 'bench-action-secret-0123456789abcdef',
  };
}
