import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMetadataDir } from '../src/index.js';

const fixture = join(import.meta.dirname, 'fixtures', 'metadata');

describe('loadMetadataDir', () => {
  it('resolves includes into sources and tables', () => {
    const metadata = loadMetadataDir(fixture);
    expect(metadata.version).toBe(3);
    const [source] = metadata.sources;
    expect(source?.name).toBe('default');
    expect(source?.configuration.connection_info?.database_url).toEqual({
      from_env: 'HASURA_GRAPHQL_DATABASE_URL',
    });
    expect(source?.tables.map((table) => table.table)).toEqual([
      { name: 'users', schema: 'public' },
    ]);
    expect(source?.tables[0]?.configuration?.custom_root_fields?.select_by_pk).toBe('user');
  });

  it('merges actions.graphql into the actions and custom types', () => {
    const metadata = loadMetadataDir(fixture);
    const login = metadata.actions?.find((action) => action.name === 'login');
    expect(login?.definition.type).toBe('mutation');
    expect(login?.definition.output_type).toBe('LoginOutput');
    expect(login?.definition.arguments).toEqual([
      { name: 'tenantId', type: 'String!' },
      { name: 'email', type: 'String!' },
      { name: 'password', type: 'String!' },
    ]);
    expect(login?.permissions).toEqual([{ role: 'anonymous' }]);
    expect(metadata.actions?.find((action) => action.name === 'whoami')?.definition.type).toBe(
      'query',
    );
    const output = metadata.custom_types?.objects?.find((type) => type.name === 'LoginOutput');
    expect(output?.fields.map((field) => `${field.name}: ${field.type}`)).toEqual([
      'accessToken: String!',
      'expiresIn: Int!',
      'roles: [String!]!',
      'mfa: MfaState',
    ]);
    expect(metadata.custom_types?.enums?.[0]?.values.map((value) => value.value)).toEqual([
      'NONE',
      'REQUIRED',
    ]);
  });

  it('reads the top-level sections and leaves empty ones out', () => {
    const metadata = loadMetadataDir(fixture);
    expect(metadata.rest_endpoints?.map((endpoint) => endpoint.url)).toEqual([
      'users/:id',
      'users',
    ]);
    expect(metadata.query_collections?.[0]?.definition.queries).toHaveLength(2);
    expect(metadata.allowlist).toEqual([
      { collection: 'allowed-queries', scope: { global: true } },
    ]);
    expect(metadata.cron_triggers).toHaveLength(1);
    expect('inherited_roles' in metadata).toBe(false);
  });

  it('resolves the !include tag relative to the including file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-metadata-'));
    await mkdir(join(dir, 'databases', 'default', 'tables'), { recursive: true });
    await writeFile(join(dir, 'version.yaml'), 'version: 3\n');
    await writeFile(
      join(dir, 'databases', 'databases.yaml'),
      '- name: default\n  kind: postgres\n  configuration:\n    connection_info:\n      database_url: postgres://x\n  tables: !include default/tables/tables.yaml\n',
    );
    await writeFile(
      join(dir, 'databases', 'default', 'tables', 'tables.yaml'),
      '- !include t.yaml\n',
    );
    await writeFile(
      join(dir, 'databases', 'default', 'tables', 't.yaml'),
      'table:\n  name: t\n  schema: s\n',
    );
    const metadata = loadMetadataDir(dir);
    expect(metadata.sources[0]?.tables).toEqual([{ table: { name: 't', schema: 's' } }]);
    expect(metadata.sources[0]?.configuration.connection_info?.database_url).toBe('postgres://x');
  });

  it('rejects a directory without version 3', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-metadata-'));
    await writeFile(join(dir, 'version.yaml'), 'version: 2\n');
    expect(() => loadMetadataDir(dir)).toThrow(/version\.yaml must contain "version: 3"/);
  });
});
