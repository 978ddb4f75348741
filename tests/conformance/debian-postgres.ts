import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ensureProgram } from '../../scripts/lib/debian.js';
import { findFreePort, waitForPort } from '../../scripts/lib/ports.js';
import { stopChild } from '../../scripts/lib/redis.js';

/** A PostgreSQL server the conformance run started for itself. */
export interface OwnServer {
  url: string;
  stop(): Promise<void>;
}

const locale = 'en_US.UTF-8';

/**
 * Starts a throwaway cluster of Debian's PostgreSQL with PostGIS on a free port of 127.0.0.1,
 * trusting local connections. The cases need PostGIS and the locale en_US.UTF-8 (some setup
 * files set lc_monetary to it), which the embedded PostgreSQL of the Jest harness lacks. As
 * root, missing packages are installed from Debian and the locale is generated.
 */
export async function startDebianPostgres(): Promise<OwnServer> {
  const binaries = postgresBinaries();
  ensureLocale();
  const folder = await mkdtemp(join(tmpdir(), 'acci-conformance-pg-'));
  const dataDir = join(folder, 'data');
  const asRoot = userInfo().uid === 0;
  await chmod(folder, 0o755);
  if (asRoot) await chown(folder, postgresId('-u'), postgresId('-g'));

  runAs(asRoot, join(binaries, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    `--locale=${locale}`,
  ]);
  const port = await findFreePort();
  const child = spawnAs(asRoot, join(binaries, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${folder}`,
    '-c',
    'fsync=off',
  ]);
  await waitForPort('127.0.0.1', port, 20_000);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await stopChild(child);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Returns the bin folder of the newest installed PostgreSQL, installing it with PostGIS. */
function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  let versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  if (versions.length === 0) {
    ensureProgram('/usr/bin/pg_config', ['postgresql', 'postgresql-server-dev-all']);
    versions = readdirSync(root).filter((name) => /^\d+$/.test(name));
  }
  const version = versions.sort((a, b) => Number(b) - Number(a))[0] ?? '';
  const postgisControl = `/usr/share/postgresql/${version}/extension/postgis.control`;
  ensureProgram(postgisControl, [`postgresql-${version}-postgis-3`]);
  return join(root, version, 'bin');
}

function ensureLocale(): void {
  const installed = execFileSync('locale', ['-a']).toString().toLowerCase();
  if (installed.includes('en_us.utf8')) return;
  ensureProgram('/usr/sbin/locale-gen', ['locales']);
  const file = '/etc/locale.gen';
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!/^en_US\.UTF-8 UTF-8$/m.test(text)) writeFileSync(file, `${text}\nen_US.UTF-8 UTF-8\n`);
  execFileSync('/usr/sbin/locale-gen', { stdio: 'ignore' });
}

function postgresId(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres']).toString().trim());
}

function runAs(asRoot: boolean, program: string, args: string[]): void {
  const options = asRoot ? { uid: postgresId('-u'), gid: postgresId('-g') } : {};
  execFileSync(program, args, { ...options, stdio: 'ignore' });
}

function spawnAs(asRoot: boolean, program: string, args: string[]): ChildProcess {
  const options = asRoot ? { uid: postgresId('-u'), gid: postgresId('-g') } : {};
  return spawn(program, args, { ...options, stdio: 'ignore' });
}
