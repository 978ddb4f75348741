import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  graphql,
  type IsolationPlatform,
  metadataDir,
  signIn,
  snapshotTenant,
  startIsolationPlatform,
  tenants,
} from './platform.js';

const insertIntoB = `mutation ($tenant: uuid!) {
  insert_users(objects: [{tenant_id: $tenant, email: "planted@acme.test"}]) { affected_rows }
}`;

let wrongMetadata: string;

/**
 * Copies the metadata and breaks the tenant_admin insert rule of users on purpose: tenant_id
 * becomes a settable column, without the preset and without the tenant clause in the check.
 */
async function copyWithWrongInsertRule(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'acci-wrong-metadata-'));
  await cp(metadataDir, dir, { recursive: true });
  const file = join(dir, 'databases/default/tables/public_users.yaml');
  const text = await readFile(file, 'utf8');
  const marker = `- role: tenant_admin
  permission:
    columns:
    - email
`;
  const start = text.indexOf(marker, text.indexOf('insert_permissions:'));
  const end = text.indexOf('select_permissions:');
  if (start < 0 || end < start) throw new Error('The users insert rule has an unexpected shape.');
  const wrongRule = `- role: tenant_admin
  permission:
    columns:
    - tenant_id
    - email
    check: {}
`;
  await writeFile(file, text.slice(0, start) + wrongRule + text.slice(end));
  return dir;
}

async function attack(platform: IsolationPlatform) {
  const token = await signIn(platform, 'demo.test', 'admin@demo.test');
  return graphql(platform, insertIntoB, { token, variables: { tenant: tenants.b } });
}

beforeAll(async () => {
  wrongMetadata = await copyWithWrongInsertRule();
});

afterAll(async () => {
  await rm(wrongMetadata, { recursive: true, force: true });
});

describe('row-level security behind a wrong permission', () => {
  const runsOnEngine = process.env.HASURA_URL === undefined;
  const onEngine = runsOnEngine ? it : it.skip;

  onEngine(
    'stops the insert when the engine connects as acci_graphql',
    async () => {
      const platform = await startIsolationPlatform({
        label: 'second-wall',
        metadataDir: wrongMetadata,
        engineRole: 'acci_graphql',
      });
      try {
        const before = await snapshotTenant(platform.databaseUrl, tenants.b);
        const result = await attack(platform);
        expect(result.data ?? null).toBeNull();
        expect(result.errors?.[0]?.message).toContain('row-level security');
        expect(await snapshotTenant(platform.databaseUrl, tenants.b)).toEqual(before);
      } finally {
        await platform.stop();
      }
    },
    60_000,
  );

  onEngine(
    'lets the same insert through for a superuser connection',
    async () => {
      const platform = await startIsolationPlatform({
        label: 'second-wall-superuser',
        metadataDir: wrongMetadata,
        engineRole: 'superuser',
      });
      try {
        const result = await attack(platform);
        expect(result.errors).toBeUndefined();
        expect(result.data).toEqual({ insert_users: { affected_rows: 1 } });
      } finally {
        await platform.stop();
      }
    },
    60_000,
  );
});
