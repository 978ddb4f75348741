import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ensureProgram } from '../../scripts/lib/debian.js';
import { waitForPort } from '../../scripts/lib/ports.js';
import { stopChild } from '../../scripts/lib/redis.js';

const run = promisify(execFile);
const fixture = resolve(import.meta.dirname, '../fixtures/ldap/directory.ldif');
const adSchema = resolve(import.meta.dirname, '../fixtures/ldap/ad-like.schema');

/** Facts of the test directory loaded from tests/fixtures/ldap/directory.ldif. */
export const testDirectory = {
  baseDn: 'dc=acci,dc=test',
  adminDn: 'cn=admin,dc=acci,dc=test',
  serviceDn: 'cn=acci-service,ou=services,dc=acci,dc=test',
  password: 'Secret-Passw0rd!',
} as const;

export interface LdapHandle {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway OpenLDAP server (slapd) on 127.0.0.1 with the memberOf overlay, loads
 * the test directory through ldapadd so the overlay fills in memberOf, and returns its URL.
 * slapd and ldap-utils are installed from Debian's packages when missing.
 */
export async function startLdap(port: number): Promise<LdapHandle> {
  ensureProgram('/usr/sbin/slapd', ['slapd']);
  ensureProgram('/usr/bin/ldapadd', ['ldap-utils']);

  const folder = await mkdtemp(join(tmpdir(), 'acci-test-ldap-'));
  await mkdir(join(folder, 'db'));
  const configFile = join(folder, 'slapd.conf');
  await writeFile(configFile, slapdConfig(folder));

  const url = `ldap://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('/usr/sbin/slapd', ['-f', configFile, '-h', url, '-d', '0'], {
    stdio: 'ignore',
  });
  const stop = async () => {
    await stopChild(child);
    await rm(folder, { recursive: true, force: true });
  };

  try {
    await waitForPort('127.0.0.1', port, 10_000);
    await run('/usr/bin/ldapadd', [
      '-x',
      '-H',
      url,
      '-D',
      testDirectory.adminDn,
      '-w',
      testDirectory.password,
      '-f',
      fixture,
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

function slapdConfig(folder: string): string {
  return [
    'include /etc/ldap/schema/core.schema',
    'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema',
    'include /etc/ldap/schema/nis.schema',
    // Active Directory user attributes for the directory sign-in tests.
    `include ${adSchema}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'moduleload memberof',
    `pidfile ${join(folder, 'slapd.pid')}`,
    'database mdb',
    `suffix "${testDirectory.baseDn}"`,
    `rootdn "${testDirectory.adminDn}"`,
    `rootpw ${testDirectory.password}`,
    `directory ${join(folder, 'db')}`,
    'maxsize 104857600',
    'overlay memberof',
    'memberof-group-oc groupOfNames',
    'memberof-member-ad member',
    'memberof-memberof-ad memberOf',
    'memberof-refint TRUE',
    '',
  ].join('\n');
}
