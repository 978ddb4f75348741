import { hash } from '@node-rs/argon2';
import pg, { type QueryResultRow } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import {
  callAction,
  startTestServer,
  type TestServer,
  testActionSecret,
  testPasswordHashing,
} from '../testing/server.js';

const ids = {
  platform: '40000000-0000-4000-8000-000000000001',
  customer: '40000000-0000-4000-8000-000000000002',
  other: '40000000-0000-4000-8000-000000000003',
  root: '41000000-0000-4000-8000-000000000001',
  admin: '41000000-0000-4000-8000-000000000002',
  member: '41000000-0000-4000-8000-000000000003',
  rootSession: '42000000-0000-4000-8000-000000000001',
  adminSession: '42000000-0000-4000-8000-000000000002',
  memberSession: '42000000-0000-4000-8000-000000000003',
  endedSession: '42000000-0000-4000-8000-000000000004',
};
const password = 'Tenancy-Passw0rd-1234';

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;

type Session = Record<string, string>;

function session(role: string, userId: string, tenantId: string, sessionId: string): Session {
  return {
    'x-hasura-role': role,
    'x-hasura-user-id': userId,
    'x-hasura-tenant-id': tenantId,
    'x-hasura-session-id': sessionId,
  };
}

const root = session('platform_admin', ids.root, ids.platform, ids.rootSession);
const tenantAdmin = session('tenant_admin', ids.admin, ids.customer, ids.adminSession);
const member = session('user', ids.member, ids.customer, ids.memberSession);

interface ActionReply {
  status: number;
  body: Record<string, unknown> & { message?: string; extensions?: { code?: string } };
}

/** Posts an action payload as Hasura does, with the caller's session variables. */
async function act(
  path: string,
  name: string,
  input: Record<string, unknown>,
  variables: Session,
): Promise<ActionReply> {
  const response = await fetch(`${server.url}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-acci-action-secret': testActionSecret },
    body: JSON.stringify({ action: { name }, input, session_variables: variables }),
  });
  return { status: response.status, body: (await response.json()) as ActionReply['body'] };
}

function expectError(reply: ActionReply, status: number, code: string, message: string) {
  expect(reply.status).toBe(status);
  expect(reply.body.extensions?.code).toBe(code);
  expect(reply.body.message).toBe(message);
}

async function rows<Row extends QueryResultRow>(sql: string, params: unknown[] = []) {
  return (await client.query<Row>(sql, params)).rows;
}

async function seed(): Promise<void> {
  const passwordHash = await hash(password, testPasswordHashing);
  await client.query(
    `INSERT INTO tenants (id, name, domain, plan, is_platform) VALUES
       ($1, 'Platform', 'platform.test', 'platform', true),
       ($2, 'Customer', 'customer.test', 'standard', false),
       ($3, 'Other', 'other.test', 'free', false)`,
    [ids.platform, ids.customer, ids.other],
  );
  await client.query(
    `INSERT INTO users (id, tenant_id, email, password_hash) VALUES
       ($1, $4, 'root@platform.test', $5), ($2, $6, 'admin@customer.test', $5),
       ($3, $6, 'member@customer.test', $5)`,
    [ids.root, ids.admin, ids.member, ids.platform, passwordHash, ids.customer],
  );
  await client.query(
    `INSERT INTO sessions (id, tenant_id, user_id, expires_at, revoked_at) VALUES
       ($1, $5, $6, now() + interval '1 hour', NULL),
       ($2, $7, $8, now() + interval '1 hour', NULL),
       ($3, $7, $9, now() + interval '1 hour', NULL),
       ($4, $5, $6, now() + interval '1 hour', now())`,
    [
      ids.rootSession,
      ids.adminSession,
      ids.memberSession,
      ids.endedSession,
      ids.platform,
      ids.root,
      ids.customer,
      ids.admin,
      ids.member,
    ],
  );
}

beforeAll(async () => {
  database = await createTestDatabase('actions-tenants');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seed();
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
    created = await act('create-tenant', 'createTenant', newTenant, root);
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
    const reply = await act('create-tenant', 'createTenant', newTenant, root);
    expectError(
      reply,
      409,
      'tenant-exists',
      'The domain "northwind.test" belongs to another tenant. Choose another domain.',
    );
  });

  it('names invalid input fields', async () => {
    const reply = await act(
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
    const reply = await act('create-tenant', 'createTenant', newTenant, tenantAdmin);
    expectError(
      reply,
      403,
      'access-denied',
      'The role "tenant_admin" may not call this action; it needs one of platform_admin.',
    );
  });

  it('rejects an ended session', async () => {
    const ended = session('platform_admin', ids.root, ids.platform, ids.endedSession);
    const reply = await act('create-tenant', 'createTenant', newTenant, ended);
    expectError(
      reply,
      403,
      'access-denied',
      `Session "${ids.endedSession}" has ended, or its user or tenant is no longer active. ` +
        'Sign in again.',
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
    const reply = await act('sign-up-tenant', 'signUpTenant', signUp, {
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
