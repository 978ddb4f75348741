import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadMetadataDir } from '@acci/engine';
import pg from 'pg';
import type { Metadata, TableEntry } from '../../engine/src/metadata/types.js';
import { checkMetadata } from '../../scripts/lib/metadata-check.js';
import { type DatabaseSchema, readMigrationSchema } from '../../scripts/lib/migration-schema.js';
import { createTestDatabase } from '../harness/db.js';

const root = resolve(import.meta.dirname, '../..');
const metadataDir = join(root, 'hasura/metadata');
const migrationsDir = join(root, 'hasura/migrations/default');
const tenantClause = { tenant_id: { _eq: 'X-Hasura-Tenant-Id' } };

let metadata: Metadata;
let schema: DatabaseSchema;

/** Copies the real metadata and applies `change` to the entry of `table`. */
function broken(table: string, change: (entry: TableEntry) => void): Metadata {
  const copy = structuredClone(metadata);
  const entry = copy.sources[0]?.tables.find((item) => item.table.name === table);
  if (entry === undefined) throw new Error(`No tracked table "${table}".`);
  change(entry);
  return copy;
}

function conjunctsOf(expression: unknown): unknown[] {
  return ((expression as { _and?: unknown[] })._and ?? []) as unknown[];
}

function withoutTenantClause(expression: unknown): Record<string, unknown> {
  return {
    _and: conjunctsOf(expression).filter(
      (item) => JSON.stringify(item) !== JSON.stringify(tenantClause),
    ),
  };
}

function withoutSessionClause(expression: unknown): Record<string, unknown> {
  return {
    _and: conjunctsOf(expression).filter((item) => !JSON.stringify(item).includes('_exists')),
  };
}

function selectOf(entry: TableEntry, role: string) {
  const permission = entry.select_permissions?.find((item) => item.role === role)?.permission;
  if (permission === undefined) throw new Error(`No select permission for "${role}".`);
  return permission;
}

beforeAll(async () => {
  metadata = loadMetadataDir(metadataDir);
  schema = await readMigrationSchema(migrationsDir);
});

describe('metadata check', () => {
  it('passes the real metadata', () => {
    expect(checkMetadata(metadata, schema)).toEqual([]);
  });

  it('reads the same tenant-owned relations as the database has', async () => {
    const database = await createTestDatabase('metadata-check');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        `SELECT DISTINCT table_schema || '.' || table_name AS name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1`,
      );
      const parsed = [...schema]
        .filter(([, relation]) => relation.columns.has('tenant_id'))
        .map(([name]) => name)
        .sort();
      expect(parsed).toEqual(rows.map((row) => row.name));
    } finally {
      await client.end();
      await database.drop();
    }
  });

  it('reports a select without the tenant clause', () => {
    const copy = broken('users', (entry) => {
      const permission = selectOf(entry, 'user');
      permission.filter = withoutTenantClause(permission.filter);
    });
    expect(checkMetadata(copy, schema)).toEqual([
      'public.users: role user select filter does not constrain tenant_id to X-Hasura-Tenant-Id',
    ]);
  });

  it('reports an _or with an unscoped branch', () => {
    const copy = broken('roles', (entry) => {
      const permission = selectOf(entry, 'tenant_admin');
      const rest = withoutTenantClause(permission.filter);
      permission.filter = {
        _and: [...conjunctsOf(rest), { _or: [tenantClause, { is_system: { _eq: true } }] }],
      };
    });
    expect(checkMetadata(copy, schema)).toEqual([
      'public.roles: role tenant_admin select filter does not constrain tenant_id to X-Hasura-Tenant-Id',
    ]);
  });

  it('accepts the tenant clause through a relationship', () => {
    const copy = broken('user_roles', (entry) => {
      const permission = selectOf(entry, 'user');
      const rest = withoutTenantClause(permission.filter);
      permission.filter = { _and: [...conjunctsOf(rest), { user: tenantClause }] };
    });
    expect(checkMetadata(copy, schema)).toEqual([]);
  });

  it('reports an insert without preset or check on the tenant', () => {
    const copy = broken('roles', (entry) => {
      const permission = entry.insert_permissions?.[0]?.permission;
      if (permission === undefined) throw new Error('No insert permission on roles.');
      permission.set = {};
      permission.check = withoutTenantClause(permission.check);
    });
    expect(checkMetadata(copy, schema)).toEqual([
      'public.roles: role tenant_admin insert check does not constrain tenant_id to X-Hasura-Tenant-Id',
    ]);
  });

  it('reports a rule without the active_sessions clause', () => {
    const copy = broken('plugins', (entry) => {
      const permission = selectOf(entry, 'platform_admin');
      permission.filter = withoutSessionClause(permission.filter);
    });
    expect(checkMetadata(copy, schema)).toEqual([
      'public.plugins: role platform_admin select filter lacks the active_session_roles clause ' +
        'with role platform_admin',
    ]);
  });

  it('reports an admin rule that ignores the held role', () => {
    const copy = broken('users', (entry) => {
      const permission = selectOf(entry, 'tenant_admin');
      const text = JSON.stringify(permission.filter)
        .replace('"active_session_roles"', '"active_sessions"')
        .replace(',{"role":{"_eq":"tenant_admin"}}', '');
      permission.filter = JSON.parse(text);
    });
    expect(checkMetadata(copy, schema)).toEqual([
      'public.users: role tenant_admin select filter lacks the active_session_roles clause ' +
        'with role tenant_admin',
    ]);
  });

  it('reports selectable secrets', () => {
    const copy = broken('users', (entry) => {
      const permission = selectOf(entry, 'tenant_admin');
      permission.columns = [...(permission.columns as string[]), 'password_hash'];
    });
    const tokens = broken('refresh_tokens', (entry) => {
      entry.select_permissions = [
        {
          role: 'platform_admin',
          permission: {
            columns: '*',
            filter: selectOf(
              metadata.sources[0]?.tables.find(
                (item) => item.table.name === 'sessions',
              ) as TableEntry,
              'platform_admin',
            ).filter,
          },
        },
      ];
    });
    expect(checkMetadata(copy, schema)).toEqual([
      'public.users: role tenant_admin select exposes the secret column password_hash',
    ]);
    expect(checkMetadata(tokens, schema)).toEqual([
      'public.refresh_tokens: role platform_admin select exposes the secret column token_hash',
    ]);
  });

  it('reports a REST endpoint outside the query collections', () => {
    const copy = structuredClone(metadata);
    const endpoint = copy.rest_endpoints?.find((item) => item.name === 'users');
    if (endpoint === undefined) throw new Error('No REST endpoint "users".');
    endpoint.definition.query.query_name = 'every_user';
    expect(checkMetadata(copy, schema)).toEqual([
      'REST endpoint users (users): query every_user is not in query collection allowed-queries',
    ]);
  });
});

describe('npm run metadata:check', () => {
  const run = promisify(execFile);

  it('exits 1 and prints the report for a broken copy', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'acci-metadata-'));
    try {
      await cp(metadataDir, copy, { recursive: true });
      const file = join(copy, 'databases/default/tables/public_sessions.yaml');
      const text = await readFile(file, 'utf8');
      // The user rule's tenant clause is the first one after its session clause.
      await writeFile(
        file,
        text.replace('      - tenant_id:\n          _eq: X-Hasura-Tenant-Id\n', ''),
      );
      const failure = await run('npx', ['tsx', 'scripts/metadata-check.ts', copy, migrationsDir], {
        cwd: root,
      }).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toBe(
        'public.sessions: role user select filter does not constrain tenant_id to X-Hasura-Tenant-Id\n' +
          'Metadata check failed with 1 problem(s).\n',
      );
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
