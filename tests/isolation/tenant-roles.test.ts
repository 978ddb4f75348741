import pg from 'pg';
import {
  demoPassword,
  graphql,
  type IsolationPlatform,
  signIn,
  startIsolationPlatform,
  tenants,
} from './platform.js';

const bob = '00000000-0000-4000-8004-000000000004';
const demoAdmin = '00000000-0000-4000-8004-000000000002';
const auditorRole = '00000000-0000-4000-8001-000000000007';
const loginDocument = `mutation ($t: String!, $e: String!, $p: String!) {
  login(tenantId: $t, email: $e, password: $p) { accessToken refreshToken user { tenantId } } }`;

let platform: IsolationPlatform;

function claimsOf(token: string): Record<string, string> {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
  return payload['https://hasura.io/jwt/claims'] as Record<string, string>;
}

async function visibleUsers(token: string): Promise<number> {
  const result = await graphql(platform, '{ users { id } }', { token, role: 'user' });
  expect(result.errors).toBeUndefined();
  return ((result.data?.users ?? []) as unknown[]).length;
}

async function sql(text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  platform = await startIsolationPlatform({ label: 'tenant-roles' });
}, 60_000);

afterAll(async () => {
  await platform?.stop();
});

describe('tenant-defined roles', () => {
  it('apply a grant and a revoke on the next request', async () => {
    const bobToken = await signIn(platform, 'demo.test', 'bob@demo.test');
    const adminToken = await signIn(platform, 'demo.test', 'admin@demo.test');
    expect(await visibleUsers(bobToken)).toBe(1);

    const granted = await graphql(
      platform,
      `mutation ($user: uuid!, $role: uuid!) {
         insert_user_roles_one(object: {user_id: $user, role_id: $role}) { id } }`,
      { token: adminToken, variables: { user: bob, role: auditorRole } },
    );
    expect(granted.errors).toBeUndefined();
    expect(await visibleUsers(bobToken)).toBe(3);

    const revoked = await graphql(
      platform,
      `mutation ($user: uuid!, $role: uuid!) {
         delete_user_roles(where: {user_id: {_eq: $user}, role_id: {_eq: $role}}) { affected_rows } }`,
      { token: adminToken, variables: { user: bob, role: auditorRole } },
    );
    expect(revoked.data).toEqual({ delete_user_roles: { affected_rows: 1 } });
    expect(await visibleUsers(bobToken)).toBe(1);
  });

  it('stop a removed tenant_admin on the next request', async () => {
    const adminToken = await signIn(platform, 'demo.test', 'admin@demo.test');
    const tenantAdminRole = (
      await sql(`SELECT id FROM roles WHERE tenant_id = $1 AND name = 'tenant_admin'`, [tenants.a])
    ).rows[0]?.id as string;
    await sql('INSERT INTO user_roles (tenant_id, user_id, role_id) VALUES ($1, $2, $3)', [
      tenants.a,
      bob,
      tenantAdminRole,
    ]);
    const bobToken = await signIn(platform, 'demo.test', 'bob@demo.test');
    const asAdmin = { token: bobToken, role: 'tenant_admin' };
    const before = await graphql(platform, '{ users { id } }', asAdmin);
    expect((before.data?.users ?? []) as unknown[]).toHaveLength(3);

    const removed = await graphql(
      platform,
      `mutation ($user: uuid!, $role: uuid!) {
         delete_user_roles(where: {user_id: {_eq: $user}, role_id: {_eq: $role}}) { affected_rows } }`,
      { token: adminToken, variables: { user: bob, role: tenantAdminRole } },
    );
    expect(removed.data).toEqual({ delete_user_roles: { affected_rows: 1 } });

    const after = await graphql(platform, '{ users { id } }', asAdmin);
    expect(after.data).toEqual({ users: [] });
    const regrant = await graphql(
      platform,
      `mutation ($user: uuid!, $role: uuid!) {
         insert_user_roles_one(object: {user_id: $user, role_id: $role}) { id } }`,
      { ...asAdmin, variables: { user: bob, role: tenantAdminRole } },
    );
    expect(regrant.data ?? null).toBeNull();
    expect(regrant.errors?.[0]?.extensions?.code).toBe('permission-error');
  });

  it('hide unreadable rows from update returning', async () => {
    const editorRole = (
      await sql(
        `WITH role AS (
           INSERT INTO roles (tenant_id, name) VALUES ($1, 'editor') RETURNING id)
         INSERT INTO role_permissions (tenant_id, role_id, permission_id)
         SELECT $1, role.id, p.id FROM role, permissions p
          WHERE p.resource = 'users' AND p.action = 'update'
         RETURNING role_id`,
        [tenants.a],
      )
    ).rows[0]?.role_id as string;
    await sql('INSERT INTO user_roles (tenant_id, user_id, role_id) VALUES ($1, $2, $3)', [
      tenants.a,
      bob,
      editorRole,
    ]);
    const bobToken = await signIn(platform, 'demo.test', 'bob@demo.test');
    const result = await graphql(
      platform,
      `mutation { update_users(where: {}, _set: {preferred_language: "en"}) {
         returning { id } } }`,
      { token: bobToken, role: 'user' },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ update_users: { returning: [{ id: bob }] } });
  });

  it('keep the last tenant_admin', async () => {
    const adminToken = await signIn(platform, 'demo.test', 'admin@demo.test');
    const result = await graphql(
      platform,
      `mutation ($user: uuid!) {
         delete_user_roles(where: {user_id: {_eq: $user}, role: {name: {_eq: "tenant_admin"}}}) {
           affected_rows } }`,
      { token: adminToken, variables: { user: demoAdmin } },
    );
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toContain(
      'the last holder of the system role "tenant_admin" cannot lose it',
    );
  });

  it('do not let a tenant admin delete a system role', async () => {
    const adminToken = await signIn(platform, 'demo.test', 'admin@demo.test');
    const result = await graphql(
      platform,
      'mutation { delete_roles(where: {is_system: {_eq: true}}) { affected_rows } }',
      { token: adminToken },
    );
    expect(result.data).toEqual({ delete_roles: { affected_rows: 0 } });
  });
});

describe('one email in two tenants', () => {
  beforeAll(async () => {
    await sql(
      `INSERT INTO users (tenant_id, email, password_hash, first_name)
       SELECT $1, email, password_hash, 'Twin' FROM users WHERE email = 'alice@demo.test'`,
      [tenants.b],
    );
  });

  it('signs in to the tenant named at sign-in', async () => {
    for (const [domain, tenantId] of [
      ['demo.test', tenants.a],
      ['acme.test', tenants.b],
    ] as const) {
      const result = await graphql(platform, loginDocument, {
        variables: { t: domain, e: 'alice@demo.test', p: demoPassword },
      });
      const login = result.data?.login as { accessToken: string; user: { tenantId: string } };
      expect(login.user.tenantId).toBe(tenantId);
      expect(claimsOf(login.accessToken)['x-hasura-tenant-id']).toBe(tenantId);
    }
  });

  it('keeps refresh tokens in the session tenant', async () => {
    const result = await graphql(platform, loginDocument, {
      variables: { t: 'acme.test', e: 'alice@demo.test', p: demoPassword },
    });
    const login = result.data?.login as { refreshToken: string };
    const refreshed = await graphql(
      platform,
      'mutation ($r: String!) { refreshToken(refreshToken: $r) { accessToken } }',
      { variables: { r: login.refreshToken } },
    );
    const pair = refreshed.data?.refreshToken as { accessToken: string } | undefined;
    expect(pair).toBeDefined();
    const token = pair?.accessToken ?? '';
    expect(claimsOf(token)['x-hasura-tenant-id']).toBe(tenants.b);
    const rows = await graphql(platform, '{ users { tenant_id } }', { token, role: 'user' });
    expect(rows.data).toEqual({ users: [{ tenant_id: tenants.b }] });
  });
});

describe('suspension', () => {
  it('stops existing sessions on their next request', async () => {
    const acmeToken = await signIn(platform, 'acme.test', 'admin@acme.test');
    const platformToken = await signIn(platform, 'acci.test', 'platform@acci.test');
    expect(await visibleUsers(acmeToken)).toBeGreaterThan(0);

    const suspended = await graphql(
      platform,
      `mutation ($id: uuid!) { setTenantStatus(tenantId: $id, status: "suspended") { status } }`,
      { token: platformToken, variables: { id: tenants.b } },
    );
    expect(suspended.data).toEqual({ setTenantStatus: { status: 'suspended' } });
    expect(await visibleUsers(acmeToken)).toBe(0);

    const resumed = await graphql(
      platform,
      `mutation ($id: uuid!) { setTenantStatus(tenantId: $id, status: "active") { status } }`,
      { token: platformToken, variables: { id: tenants.b } },
    );
    expect(resumed.data).toEqual({ setTenantStatus: { status: 'active' } });
    expect(await visibleUsers(acmeToken)).toBeGreaterThan(0);
  });
});
