import pg, { type QueryResultRow } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import {
  callAction,
  startTestServer,
  type TestServer,
  testActionSecret,
} from '../testing/server.js';
import {
  type ActionReply,
  act,
  expectError,
  ids,
  password,
  root,
  seedTenants,
  session,
  tenantAdmin,
} from './test-fixtures.js';

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;

async function rows<Row extends QueryResultRow>(sql: string, params: unknown[] = []) {
  return (await client.query<Row>(sql, params)).rows;
}

beforeAll(async () => {
  database = await createTestDatabase('actions-tenants');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedTenants(client);
  server = await startTestServer(database.url, { ACCI_SELF_SERVICE_SIGNUP: 'true' });
});

afterAll(async () => {
  await server?.close();
  await client?.end();
  await database?.drop();
});

const newTenant = {
  name: 'Northwind',
  domain: 'Northwind.test',
  plan: 'standard',
  adminEmail: 'ada@northwind.test',
  adminFirstName: 'Ada',
  adminLastName: 'North',
};

describe('createTenant', () => {
  let created: ActionReply;

  beforeAll(async () => {
    created = await act(server, 'create-tenant', 'createTenant', newTenant, root);
  });

  it('returns the tenant without the invitation token', () => {
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: 'Northwind',
      domain: 'northwind.test',
      plan: 'standard',
      status: 'active',
      trialEndsAt: null,
    });
    expect(Object.keys(created.body).sort()).toEqual([
      'adminUserId',
      'domain',
      'invitationExpiresAt',
      'name',
      'plan',
      'status',
      'tenantId',
      'trialEndsAt',
    ]);
  });

  it('stores system roles, features, a pending admin and a token hash', async () => {
    const tenantId = created.body.tenantId;
    const roles = await rows(
      `SELECT r.name, r.is_system, count(ur.id)::int AS holders FROM roles r
         LEFT JOIN user_roles ur ON ur.role_id = r.id
        WHERE r.tenant_id = $1 GROUP BY r.name, r.is_system ORDER BY r.name`,
      [tenantId],
    );
    expect(roles).toEqual([
      { name: 'tenant_admin', is_system: true, holders: 1 },
      { name: 'user', is_system: true, holders: 1 },
    ]);
    const features = await rows<{ name: string; enabled: boolean }>(
      'SELECT name, enabled FROM tenant_features WHERE tenant_id = $1 ORDER BY name',
      [tenantId],
    );
    expect(features.map((row) => row.name)).toEqual([
      'api_keys',
      'audit_log',
      'custom_roles',
      'ldap',
      'mfa',
      'plugins',
    ]);
    const [admin] = await rows(
      'SELECT status, password_hash, email::text AS email FROM users WHERE id = $1',
      [created.body.adminUserId],
    );
    expect(admin).toEqual({ status: 'pending', password_hash: null, email: 'ada@northwind.test' });
    const tokens = await rows<{ purpose: string; bytes: number }>(
      'SELECT purpose, length(token_hash) AS bytes FROM user_tokens WHERE user_id = $1',
      [created.body.adminUserId],
    );
    expect(tokens).toEqual([{ purpose: 'invite', bytes: 32 }]);
  });

  it('audits the creation and queues the invitation mail', async () => {
    const audit = await rows(
      `SELECT actor_user_id, after ->> 'plan' AS plan FROM audit_events
        WHERE action = 'tenant.created' AND tenant_id = $1`,
      [created.body.tenantId],
    );
    expect(audit).toEqual([{ actor_user_id: ids.root, plan: 'standard' }]);
    const mailLines = server.logs().filter((line) => line.kind === 'invite');
    expect(mailLines).toHaveLength(1);
    expect(server.logText()).not.toContain('token=');
  });

  it('rejects a domain that is taken', async () => {
    const reply = await act(server, 'create-tenant', 'createTenant', newTenant, root);
    expectError(
      reply,
      409,
      'tenant-exists',
      'The domain "northwind.test" belongs to another tenant. Choose another domain.',
    );
  });

  it('names invalid input fields', async () => {
    const reply = await act(
      server,
      'create-tenant',
      'createTenant',
      { ...newTenant, domain: 'not a domain', plan: 'gold' },
      root,
    );
    expectError(
      reply,
      400,
      'validation-failed',
      'Invalid "createTenant" input: "input.domain" must be a domain name such as example.com, ' +
        '"input.plan" must be one of free, standard, enterprise, platform.',
    );
  });

  it('rejects roles other than platform_admin', async () => {
    const reply = await act(server, 'create-tenant', 'createTenant', newTenant, tenantAdmin);
    expectError(
      reply,
      403,
      'access-denied',
      'The role "tenant_admin" may not call this action; it needs one of platform_admin.',
    );
  });

  it('rejects an ended session', async () => {
    const ended = session('platform_admin', ids.root, ids.platform, ids.endedSession);
    const reply = await act(server, 'create-tenant', 'createTenant', newTenant, ended);
    expectError(
      reply,
      403,
      'access-denied',
      `Session "${ids.endedSession}" has ended, its user or tenant is no longer active, or it ` +
        'no longer holds the role "platform_admin". Sign in again.',
    );
  });
});

describe('signUpTenant', () => {
  const signUp = {
    name: 'Self Service',
    domain: 'self.test',
    adminEmail: 'owner@self.test',
    adminFirstName: 'Owen',
    adminLastName: 'Self',
    password,
  };

  it('creates a trial tenant whose admin can sign in', async () => {
    const reply = await act(server, 'sign-up-tenant', 'signUpTenant', signUp, {
      'x-hasura-role': 'anonymous',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ plan: 'free', status: 'trial', invitationExpiresAt: null });
    const [tenant] = await rows<{ days: number }>(
      `SELECT round(extract(epoch FROM trial_ends_at - created_at) / 86400)::int AS days
         FROM tenants WHERE id = $1`,
      [reply.body.tenantId],
    );
    expect(tenant?.days).toBe(14);
    const login = await callAction(server, 'login', {
      tenantId: 'self.test',
      email: 'owner@self.test',
      password,
    });
    expect(login.status).toBe(200);
    const body = (await login.json()) as { user: { roles: string[] } };
    expect(body.user.roles).toEqual(['user', 'tenant_admin']);
  });

  it('is rejected when self-service sign-up is off', async () => {
    const closed = await startTestServer(database.url);
    try {
      const response = await fetch(`${closed.url}/sign-up-tenant`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-acci-action-secret': testActionSecret },
        body: JSON.stringify({ action: { name: 'signUpTenant' }, input: signUp }),
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        message: 'Self-service sign-up is disabled. Ask the platform operator for a tenant.',
        extensions: { code: 'signup-disabled' },
      });
    } finally {
      await closed.close();
    }
  });
});
