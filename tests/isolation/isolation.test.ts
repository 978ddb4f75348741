import { join } from 'node:path';
import { loadMetadataDir } from '@acci/engine';
import { readMigrationSchema } from '../../scripts/lib/migration-schema.js';
import { actionCases } from './action-cases.js';
import { type AttackCase, tableCases, tenantRoles } from './cases.js';
import { people, seedVictimRows, victimIds, victimMarkers } from './fixtures.js';
import {
  type GraphqlResult,
  graphql,
  type IsolationPlatform,
  metadataDir,
  root,
  signIn,
  snapshotTenant,
  startIsolationPlatform,
  tenants,
} from './platform.js';

// The attacks are generated from the metadata and migrations when the file loads, with
// placeholders for the ids of tenant B's rows, which exist only once the fixtures ran.
// ACCI_ISOLATION_METADATA_DIR runs the same attacks against another metadata folder, for
// example a candidate change or a deliberately broken copy.
const dir = process.env.ACCI_ISOLATION_METADATA_DIR ?? metadataDir;
const metadata = loadMetadataDir(dir);
const schema = await readMigrationSchema(join(root, 'hasura/migrations/default'));
const placeholders = new Map(
  [...schema.keys()].map((name) => {
    const table = name.replace(/^public\./, '');
    return [table, `__id_of_${table}__`];
  }),
);
const tableAttacks = tableCases(metadata, schema, placeholders);
const actionAttacks = actionCases(metadata, placeholders);
const restEndpoints = metadata.rest_endpoints ?? [];

type Role = (typeof tenantRoles)[number];

let platform: IsolationPlatform;
let tokens: Record<Role, string>;
let ids: Map<string, string>;
let markers: string[];
let before: Record<string, string[]>;

async function signInAs(role: Role): Promise<string> {
  const person = role === 'user' ? people.alice : people.admin;
  return signIn(platform, person.tenant, person.email);
}

/** Puts the real ids of tenant B's rows in place of the placeholders. */
function withIds(document: string): string {
  return document.replace(/"?__id_of_(\w+)__"?/g, (_, table: string) => {
    const id = ids.get(table) ?? '00000000-0000-4000-8000-00000000dead';
    return /^\d+$/.test(id) ? id : `"${id}"`;
  });
}

/** Markers of tenant B in a response, except those the request itself sent, as errors echo. */
function leaked(result: unknown, request = ''): string[] {
  const text = typeof result === 'string' ? result : JSON.stringify(result);
  return markers.filter((marker) => text.includes(marker) && !request.includes(marker));
}

function expectOutcome(attack: AttackCase, result: GraphqlResult): void {
  if (attack.mustSucceed) expect(result.errors).toBeUndefined();
  const value = result.data?.[attack.field];
  if (value === undefined || result.errors !== undefined) return;
  switch (attack.outcome) {
    case 'no-rows':
      expect(value).toEqual([]);
      break;
    case 'null':
      expect(value).toBeNull();
      break;
    case 'zero-count':
      expect(value).toEqual({ aggregate: { count: 0 } });
      break;
    case 'zero-affected':
      expect(value).toEqual({ affected_rows: 0 });
      break;
    case 'no-leak':
      break;
  }
}

beforeAll(async () => {
  platform = await startIsolationPlatform({ label: 'isolation', metadataDir: dir });
  await seedVictimRows(platform.databaseUrl);
  ids = await victimIds(platform.databaseUrl);
  markers = await victimMarkers(platform.databaseUrl);
  before = await snapshotTenant(platform.databaseUrl, tenants.b);
  tokens = { user: await signInAs('user'), tenant_admin: await signInAs('tenant_admin') };
}, 120_000);

afterAll(async () => {
  await platform?.stop();
});

describe('tenant isolation of the tables', () => {
  it('has attacks for every tracked table', () => {
    const tracked = metadata.sources.flatMap((source) => source.tables).map((t) => t.table.name);
    for (const table of tracked) {
      expect(tableAttacks.some((attack) => attack.document.includes(` ${table}`))).toBe(true);
    }
  });

  it.each(tableAttacks.map((attack) => [attack.name, attack] as const))(
    '%s',
    async (_name, attack) => {
      const document = withIds(attack.document);
      const result = await graphql(platform, document, {
        token: tokens[attack.role as Role],
        role: attack.role,
      });
      expect(leaked(result, document)).toEqual([]);
      expectOutcome(attack, result);
    },
  );
});

describe('tenant isolation of the REST endpoints', () => {
  const cases = tenantRoles.flatMap((role) =>
    restEndpoints.map((endpoint) => [`${role} ${endpoint.name}`, role, endpoint] as const),
  );

  it.each(cases)('%s', async (_name, role, endpoint) => {
    const method = endpoint.methods[0] ?? 'GET';
    const response = await fetch(`${platform.baseUrl}/api/rest/${endpoint.url}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[role]}`,
        'x-hasura-role': role,
        'content-type': 'application/json',
      },
      body: method === 'GET' ? undefined : JSON.stringify({ tenantId: tenants.b }),
    });
    expect(leaked(await response.text(), tenants.b)).toEqual([]);
  });
});

describe('tenant isolation of the actions', () => {
  it.each(actionAttacks.map((attack) => [attack.name, attack] as const))(
    '%s',
    async (_name, attack) => {
      // A fresh session each time, because an attack such as logout ends the one it uses.
      const token = await signInAs(attack.role as Role);
      const document = withIds(attack.document);
      const result = await graphql(platform, document, { token, role: attack.role });
      expect(leaked(result, document)).toEqual([]);
    },
  );
});

describe('after every attack', () => {
  it('leaves the rows of tenant B unchanged', async () => {
    expect(await snapshotTenant(platform.databaseUrl, tenants.b)).toEqual(before);
  });

  it('keeps the attackers signed in', async () => {
    const token = await signInAs('tenant_admin');
    const result = await graphql(platform, '{ users { tenant_id } }', { token });
    const rows = (result.data?.users ?? []) as Array<{ tenant_id: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row.tenant_id))).toEqual(new Set([tenants.a]));
    const first = await graphql(platform, '{ users { id } }', { token: tokens.user, role: 'user' });
    expect(first.errors).toBeUndefined();
  });
});
