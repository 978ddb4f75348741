import pg, { type QueryResultRow } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import { callAction, startTestServer, type TestServer } from '../testing/server.js';
import { purgeDeletedTenants } from './lifecycle.js';
import {
  act,
  expectError,
  ids,
  member,
  password,
  root,
  seedTenants,
  tenantAdmin,
} from './test-fixtures.js';

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;
let pool: pg.Pool;

async function rows<Row extends QueryResultRow>(sql: string, params: unknown[] = []) {
  return (await client.query<Row>(sql, params)).rows;
}

async function memberCanSignIn(): Promise<boolean> {
  const response = await callAction(server, 'login', {
    tenantId: 'customer.test',
    email: 'member@customer.test',
    password,
  });
  return response.status === 200;
}

beforeAll(async () => {
  database = await createTestDatabase('actions-tenant-lifecycle');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedTenants(client);
  server = await startTestServer(database.url);
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  await server?.close();
  await pool?.end();
  await client?.end();
  await database?.drop();
});

describe('setTenantStatus', () => {
  it('suspends a tenant, which stops sign-in and sessions', async () => {
    const reply = await act(
      server,
      'set-tenant-status',
      'setTenantStatus',
      { tenantId: ids.customer, status: 'suspended' },
      root,
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      tenantId: ids.customer,
      status: 'suspended',
      trialEndsAt: null,
      deletionScheduledAt: null,
    });
    expect(await memberCanSignIn()).toBe(false);
    const live = await rows('SELECT id FROM active_sessions WHERE tenant_id = $1', [ids.customer]);
    expect(live).toEqual([]);
  });

  it('audits the state before and after', async () => {
    const [event] = await rows(
      `SELECT actor_user_id, before ->> 'status' AS before, after ->> 'status' AS after
         FROM audit_events WHERE action = 'tenant.status.changed' AND tenant_id = $1
        ORDER BY id DESC LIMIT 1`,
      [ids.customer],
    );
    expect(event).toEqual({ actor_user_id: ids.root, before: 'active', after: 'suspended' });
  });

  it('starts a trial with its end', async () => {
    const trialEndsAt = new Date(Date.now() + 7 * 86400_000).toISOString();
    const reply = await act(
      server,
      'set-tenant-status',
      'setTenantStatus',
      { tenantId: ids.customer, status: 'trial', trialEndsAt },
      root,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('trial');
    expect(new Date(String(reply.body.trialEndsAt)).toISOString()).toBe(trialEndsAt);
    expect(await memberCanSignIn()).toBe(true);
  });

  it('requires trialEndsAt for a trial', async () => {
    const reply = await act(
      server,
      'set-tenant-status',
      'setTenantStatus',
      { tenantId: ids.customer, status: 'trial' },
      root,
    );
    expectError(
      reply,
      400,
      'validation-failed',
      'Invalid "setTenantStatus" input: "input.trialEndsAt" is required for trial.',
    );
  });

  it('keeps the platform tenant active', async () => {
    const reply = await act(
      server,
      'set-tenant-status',
      'setTenantStatus',
      { tenantId: ids.platform, status: 'suspended' },
      root,
    );
    expectError(
      reply,
      409,
      'invalid-tenant-status',
      'The platform tenant "platform.test" must stay active; platform admins sign in there.',
    );
  });

  it('rejects an unknown tenant', async () => {
    const unknown = '40000000-0000-4000-8000-0000000000ff';
    const reply = await act(
      server,
      'set-tenant-status',
      'setTenantStatus',
      { tenantId: unknown, status: 'active' },
      root,
    );
    expectError(reply, 404, 'not-found', `No tenant has the id "${unknown}".`);
  });
});

describe('scheduleTenantDeletion', () => {
  it('archives the tenant and purges it after the grace period', async () => {
    const reply = await act(
      server,
      'schedule-tenant-deletion',
      'scheduleTenantDeletion',
      { tenantId: ids.other, graceDays: 3 },
      root,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('archived');
    expect(await purgeDeletedTenants(pool)).toEqual([]);

    await client.query(
      `UPDATE tenants SET deletion_scheduled_at = now() - interval '1 second' WHERE id = $1`,
      [ids.other],
    );
    expect(await purgeDeletedTenants(pool)).toEqual([ids.other]);
    expect(await rows('SELECT id FROM tenants WHERE id = $1', [ids.other])).toEqual([]);
    const purged = await rows(
      `SELECT tenant_id, before ->> 'domain' AS domain FROM audit_events
        WHERE action = 'tenant.purged' AND resource_id = $1`,
      [ids.other],
    );
    expect(purged).toEqual([{ tenant_id: null, domain: 'other.test' }]);
  });
});

describe('exportTenant', () => {
  it('exports rows without secrets', async () => {
    const reply = await act(
      server,
      'export-tenant',
      'exportTenant',
      { tenantId: ids.customer },
      root,
    );
    expect(reply.status).toBe(200);
    const tables = reply.body.tables as Record<string, Array<Record<string, unknown>>>;
    expect(tables.tenants?.[0]?.id).toBe(ids.customer);
    const users = tables.users ?? [];
    expect(users.map((user) => user.email).sort()).toEqual([
      'admin@customer.test',
      'member@customer.test',
    ]);
    expect(users[0]).not.toHaveProperty('password_hash');
    expect(JSON.stringify(reply.body)).not.toMatch(/password_hash|token_hash|_encrypted/);
  });
});

describe('tenantFeatures', () => {
  it('merges plan defaults and overrides', async () => {
    await client.query(
      `INSERT INTO tenant_features (tenant_id, name, enabled) VALUES ($1, 'ldap', true)`,
      [ids.customer],
    );
    const reply = await act(server, 'tenant-features', 'tenantFeatures', {}, member);
    expect(reply.status).toBe(200);
    const features = reply.body as unknown as Array<{ name: string; source: string }>;
    expect(features.find((feature) => feature.name === 'ldap')).toEqual({
      name: 'ldap',
      enabled: true,
      source: 'override',
      config: {},
    });
    expect(features.find((feature) => feature.name === 'plugins')).toEqual({
      name: 'plugins',
      enabled: true,
      source: 'plan',
      config: {},
    });
  });

  it('rejects another tenant for a tenant role', async () => {
    const reply = await act(
      server,
      'tenant-features',
      'tenantFeatures',
      { tenantId: ids.platform },
      member,
    );
    expectError(
      reply,
      403,
      'access-denied',
      `The role "user" acts only on its own tenant "${ids.customer}", not on "${ids.platform}". ` +
        'Leave out "tenantId".',
    );
  });
});

describe('updateTenantConfiguration', () => {
  it('names each invalid member', async () => {
    const configuration = {
      theme: { primaryColor: 'blue', shade: 1 },
      security: { passwordPolicy: { minLength: 4 } },
    };
    const reply = await act(
      server,
      'update-tenant-configuration',
      'updateTenantConfiguration',
      { configuration },
      tenantAdmin,
    );
    expectError(
      reply,
      400,
      'validation-failed',
      'Invalid configuration: configuration.theme.shade is not a known setting; ' +
        'configuration.theme.primaryColor must match pattern "^#[0-9a-fA-F]{6}$"; ' +
        'configuration.security.passwordPolicy.minLength must be >= 8.',
    );
  });

  it('stores a valid configuration and audits it', async () => {
    const configuration = { security: { passwordPolicy: { minLength: 14 } } };
    const reply = await act(
      server,
      'update-tenant-configuration',
      'updateTenantConfiguration',
      { configuration },
      tenantAdmin,
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ tenantId: ids.customer, configuration });
    const [event] = await rows(
      `SELECT before -> 'configuration' AS before, after -> 'configuration' AS after
         FROM audit_events WHERE action = 'tenant.configuration.updated' AND tenant_id = $1`,
      [ids.customer],
    );
    expect(event).toEqual({ before: {}, after: configuration });
  });

  it('accepts the MFA policy sign-in reads', async () => {
    const configuration = { security: { mfa: { requiredForRoles: ['tenant_admin'] } } };
    const reply = await act(
      server,
      'update-tenant-configuration',
      'updateTenantConfiguration',
      { configuration },
      tenantAdmin,
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ tenantId: ids.customer, configuration });
  });

  it('is for tenant_admin only', async () => {
    const reply = await act(
      server,
      'update-tenant-configuration',
      'updateTenantConfiguration',
      { configuration: {} },
      member,
    );
    expectError(
      reply,
      403,
      'access-denied',
      'The role "user" may not call this action; it needs one of tenant_admin.',
    );
  });
});
