import pg from 'pg';
import { findFreePort } from '../../../scripts/lib/ports.js';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import { testDirectory } from '../../../tests/harness/ldap.js';
import { serviceUrl } from '../../../tests/harness/services.js';
import { testEncryptionKeys } from '../mfa/test-support.js';
import { callAs, seedTenant, seedUser, signIn } from '../testing/auth.js';
import { startTestServer, type TestServer } from '../testing/server.js';

const ids = {
  tenant: '14000000-0000-4000-8000-000000000001',
  twins: '14000000-0000-4000-8000-000000000002',
  bare: '14000000-0000-4000-8000-000000000003',
  admin: '24000000-0000-4000-8000-000000000001',
  twinsAdmin: '24000000-0000-4000-8000-000000000002',
  localBob: '24000000-0000-4000-8000-000000000003',
  member: '24000000-0000-4000-8000-000000000004',
  bareAdmin: '24000000-0000-4000-8000-000000000005',
};
const groups = {
  admins: `cn=acci-admins,ou=groups,${testDirectory.baseDn}`,
  staff: `cn=acci-staff,ou=groups,${testDirectory.baseDn}`,
};
const password = testDirectory.password;
const filter = '(|(uid={{username}})(sAMAccountName={{username}})(userPrincipalName={{username}}))';

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;
let adminSession: Record<string, string>;

type Body = Record<string, unknown>;
type Result = { status: number; body: Body };

async function call(path: string, name: string, input: Body, session?: Record<string, string>) {
  const response = await callAs(server, path, name, input, session);
  return { status: response.status, body: (await response.json()) as Body };
}

function settings(overrides: Body = {}): Body {
  return {
    enabled: true,
    url: serviceUrl('ldap'),
    bindDn: testDirectory.serviceDn,
    bindPassword: password,
    searchBase: testDirectory.baseDn,
    searchFilter: filter,
    groupRoleMap: [
      { group: groups.admins, role: 'tenant_admin' },
      { group: groups.staff, role: 'staff' },
    ],
    timeoutMs: 2000,
    ...overrides,
  };
}

function save(values: Body, session = adminSession) {
  return call('set-directory-settings', 'setDirectorySettings', { settings: values }, session);
}

function ldapLogin(username: string, secret: string = password, tenantId = ids.tenant) {
  return call('login-ldap', 'loginLdap', { tenantId, username, password: secret });
}

function expectError(result: Result, status: number, code: string) {
  expect(result.body.extensions).toEqual({ code });
  expect(result.status).toBe(status);
}

const invalidCredentials = {
  message: 'Invalid tenant, email or password.',
  extensions: { code: 'invalid-credentials' },
};

async function roleNames(email: string): Promise<Array<{ name: string; source: string }>> {
  const result = await client.query<{ name: string; source: string }>(
    `SELECT r.name, ur.source FROM user_roles ur JOIN roles r ON r.id = ur.role_id
       JOIN users u ON u.id = ur.user_id
      WHERE u.email = $1 AND u.tenant_id = $2 ORDER BY r.name`,
    [email, ids.tenant],
  );
  return result.rows;
}

beforeAll(async () => {
  database = await createTestDatabase('login-ldap');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedTenant(client, { id: ids.tenant, domain: 'ldap.test' });
  await seedTenant(client, { id: ids.twins, domain: 'twins.test' });
  await seedTenant(client, { id: ids.bare, domain: 'bare.test' });
  await seedUser(client, {
    id: ids.admin,
    tenantId: ids.tenant,
    email: 'admin@ldap.test',
    roles: ['tenant_admin'],
  });
  await seedUser(client, { id: ids.member, tenantId: ids.tenant, email: 'member@ldap.test' });
  await seedUser(client, { id: ids.localBob, tenantId: ids.tenant, email: 'bob@demo.test' });
  await seedUser(client, {
    id: ids.twinsAdmin,
    tenantId: ids.twins,
    email: 'admin@twins.test',
    roles: ['tenant_admin'],
  });
  await seedUser(client, {
    id: ids.bareAdmin,
    tenantId: ids.bare,
    email: 'admin@bare.test',
    roles: ['tenant_admin'],
  });
  await client.query(`INSERT INTO roles (tenant_id, name) VALUES ($1, 'staff')`, [ids.tenant]);
  server = await startTestServer(database.url, { ACCI_ENCRYPTION_KEYS: testEncryptionKeys });
  adminSession = (await signIn(server, ids.tenant, 'admin@ldap.test')).session;
  const saved = await save(settings());
  expect(saved.status).toBe(200);
});

afterAll(async () => {
  await server?.close();
  await client?.end();
  await database?.drop();
});

describe('setDirectorySettings', () => {
  it('stores the password encrypted and never returns it', async () => {
    const result = await save(settings());
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      enabled: true,
      bindPasswordSet: true,
      startTls: false,
      emailAttribute: 'mail',
      firstNameAttribute: 'givenName',
      lastNameAttribute: 'sn',
      timeoutMs: 2000,
    });
    expect(JSON.stringify(result.body)).not.toContain(password);

    const row = await client.query<{ settings: Body; bind_password_encrypted: Buffer }>(
      'SELECT settings, bind_password_encrypted FROM tenant_directories WHERE tenant_id = $1',
      [ids.tenant],
    );
    expect(JSON.stringify(row.rows[0]?.settings)).not.toContain(password);
    expect(row.rows[0]?.bind_password_encrypted.includes(Buffer.from(password))).toBe(false);
    const audit = await client.query<{ after: Body }>(
      `SELECT after FROM audit_events WHERE action = 'directory.settings.updated' AND tenant_id = $1`,
      [ids.tenant],
    );
    expect(audit.rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.rows)).not.toContain(password);
  });

  it('keeps the stored password when it is left out', async () => {
    const result = await save(settings({ bindPassword: undefined }));
    expect(result.status).toBe(200);
    expect((await ldapLogin('bob')).status).toBe(200);
  });

  it.each([
    [{ url: 'http://127.0.0.1' }, '"input.settings.url" must be an ldap:// or ldaps:// URL'],
    [{ searchFilter: '(uid=alice)' }, '"input.settings.searchFilter" must contain {{username}}'],
    [
      { searchFilter: 'uid={{username}}' },
      '"input.settings.searchFilter" must be enclosed in parentheses',
    ],
    [
      { url: 'ldaps://127.0.0.1:636', startTls: true },
      '"input.settings.startTls" must be false for an ldaps:// URL',
    ],
    [{ timeoutMs: 10 }, '"input.settings.timeoutMs" must be at least 100'],
    [
      { caCertificate: 'not a certificate' },
      '"input.settings.caCertificate" must be a PEM certificate',
    ],
    [
      { emailAttribute: 'mail; x' },
      '"input.settings.emailAttribute" must be an LDAP attribute name',
    ],
    [{ bindDn: 'service' }, '"input.settings.bindDn" must be a distinguished name'],
  ])('rejects %j', async (change, message) => {
    const result = await save(settings(change));
    expectError(result, 400, 'validation-failed');
    expect(result.body.message).toContain(message);
  });

  it('rejects a role the tenant lacks', async () => {
    const result = await save(settings({ groupRoleMap: [{ group: groups.staff, role: 'ghost' }] }));
    expectError(result, 400, 'validation-failed');
    expect(result.body.message).toBe(
      'Invalid "setDirectorySettings" input: "input.settings.groupRoleMap.0.role" names the role ' +
        '"ghost", which the tenant does not have. Create the role first or fix the name.',
    );
  });

  it('requires a bind password the first time', async () => {
    const twins = await signIn(server, ids.twins, 'admin@twins.test');
    const result = await save(
      settings({ bindPassword: undefined, groupRoleMap: [] }),
      twins.session,
    );
    expectError(result, 400, 'validation-failed');
    expect(result.body.message).toContain('"input.settings.bindPassword" is required');
  });

  it('is for tenant admins only', async () => {
    const { session } = await signIn(server, ids.tenant, 'member@ldap.test');
    const result = await save(settings(), session);
    expectError(result, 403, 'access-denied');
    const asAdmin = await save(settings(), { ...session, 'x-hasura-role': 'tenant_admin' });
    expectError(asAdmin, 403, 'access-denied');
  });
});

describe('loginLdap', () => {
  it('creates the user with mapped roles', async () => {
    const result = await ldapLogin('alice');
    expect(result.status).toBe(200);
    expect(result.body.mfaRequired).toBe(false);
    expect(typeof result.body.accessToken).toBe('string');
    expect(result.body.user).toMatchObject({
      email: 'alice@demo.test',
      firstName: 'Alice',
      lastName: 'Archer',
      roles: ['user', 'tenant_admin'],
    });

    const user = await client.query<{ source: string; directory_dn: string; password_hash: null }>(
      `SELECT source, directory_dn, password_hash FROM users WHERE email = 'alice@demo.test'`,
    );
    expect(user.rows[0]).toEqual({
      source: 'directory',
      directory_dn: `uid=alice,ou=people,${testDirectory.baseDn}`,
      password_hash: null,
    });
    expect(await roleNames('alice@demo.test')).toEqual([
      { name: 'staff', source: 'directory' },
      { name: 'tenant_admin', source: 'directory' },
    ]);
  });

  it('links a local account by email and removes its password', async () => {
    const result = await ldapLogin('bob');
    expect(result.body.user).toMatchObject({ id: ids.localBob, roles: ['user'] });
    const user = await client.query('SELECT source, password_hash FROM users WHERE id = $1', [
      ids.localBob,
    ]);
    expect(user.rows[0]).toEqual({ source: 'directory', password_hash: null });
  });

  it('signs in the user whose uid holds filter metacharacters', async () => {
    const result = await ldapLogin('o*neil(\\)admin');
    expect(result.status).toBe(200);
    expect(result.body.user).toMatchObject({ email: 'orla@demo.test', roles: ['user'] });
  });

  it.each(['*)(uid=*', '*', 'alice)(uid=*', 'o*neil*'])(
    'matches nobody for %j',
    async (username) => {
      const result = await ldapLogin(username);
      expect(result).toEqual({ status: 400, body: invalidCredentials });
    },
  );

  it('rejects a wrong password', async () => {
    expect(await ldapLogin('alice', 'wrong-password')).toEqual({
      status: 400,
      body: invalidCredentials,
    });
  });

  it('rejects an empty password without binding', async () => {
    expect(await ldapLogin('alice', '')).toEqual({ status: 400, body: invalidCredentials });
    const audit = await client.query<{ after: Body }>(
      `SELECT after FROM audit_events WHERE action = 'auth.login.failed' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0]?.after).toEqual({ method: 'directory', reason: 'empty-password' });
  });

  it('rejects a username that matches two entries', async () => {
    const twins = await signIn(server, ids.twins, 'admin@twins.test');
    const saved = await save(
      settings({ searchFilter: '(employeeNumber={{username}})', groupRoleMap: [] }),
      twins.session,
    );
    expect(saved.status).toBe(200);
    expect(await ldapLogin('4242', password, ids.twins)).toEqual({
      status: 400,
      body: invalidCredentials,
    });
    const audit = await client.query<{ after: Body }>(
      `SELECT after FROM audit_events WHERE tenant_id = $1 AND action = 'auth.login.failed'`,
      [ids.twins],
    );
    expect(audit.rows.map((row) => row.after.reason)).toEqual(['entry-ambiguous']);
  });

  it('takes back roles of groups the mapping no longer names', async () => {
    await client.query(
      `INSERT INTO user_roles (tenant_id, user_id, role_id)
       SELECT $1, $2, id FROM roles WHERE tenant_id = $1 AND name = 'tenant_admin'`,
      [ids.tenant, ids.localBob],
    );
    expect(
      (await save(settings({ groupRoleMap: [{ group: groups.staff, role: 'staff' }] }))).status,
    ).toBe(200);
    try {
      expect((await ldapLogin('alice')).body.user).toMatchObject({ roles: ['user'] });
      expect(await roleNames('alice@demo.test')).toEqual([{ name: 'staff', source: 'directory' }]);
      expect((await ldapLogin('bob')).body.user).toMatchObject({ roles: ['user', 'tenant_admin'] });
      expect(await roleNames('bob@demo.test')).toEqual([
        { name: 'staff', source: 'directory' },
        { name: 'tenant_admin', source: 'manual' },
      ]);
    } finally {
      await save(settings());
    }
  });

  it('answers directory-not-configured without settings', async () => {
    const result = await ldapLogin('alice', password, ids.bare);
    expectError(result, 400, 'directory-not-configured');
  });

  it('answers invalid-credentials for an unknown tenant', async () => {
    expect(await ldapLogin('alice', password, 'nowhere.test')).toEqual({
      status: 400,
      body: invalidCredentials,
    });
  });

  it('answers directory-unavailable when the server is down', async () => {
    const port = await findFreePort();
    expect((await save(settings({ url: `ldap://127.0.0.1:${port}` }))).status).toBe(200);
    try {
      const result = await ldapLogin('alice');
      expect(result).toEqual({
        status: 400,
        body: {
          message:
            'The directory server cannot be reached. Try again later or ask your administrator.',
          extensions: { code: 'directory-unavailable' },
        },
      });
    } finally {
      await save(settings());
    }
  });

  it('never logs the password', () => {
    expect(server.logText()).not.toContain(password);
  });
});

describe('loginLdap with Active Directory accounts', () => {
  it.each(['carol', 'carol@ad.acci.test', 'CAROL'])('signs in %s', async (username) => {
    const result = await ldapLogin(username);
    expect(result.status).toBe(200);
    expect(result.body.user).toMatchObject({ email: 'carol@ad.acci.test', firstName: 'Carol' });
  });

  it.each([
    [
      'dave',
      'account-disabled',
      'The directory account is disabled. Ask your administrator to enable it.',
    ],
    [
      'erin',
      'password-change-required',
      'The directory requires a new password. Change it in your organisation, then sign in.',
    ],
    [
      'finn',
      'account-locked',
      'The directory account is locked. Wait for the lockout to end or ask your administrator.',
    ],
    [
      'gina',
      'account-expired',
      'The directory account has expired. Ask your administrator to extend it.',
    ],
    [
      'hank',
      'password-expired',
      'The directory password has expired. Change it in your organisation, then sign in.',
    ],
  ])('answers %s with %s after the password is proven', async (username, code, message) => {
    expect(await ldapLogin(username, 'wrong-password')).toEqual({
      status: 400,
      body: invalidCredentials,
    });
    expect(await ldapLogin(username)).toEqual({
      status: 403,
      body: { message, extensions: { code } },
    });
    const created = await client.query('SELECT 1 FROM users WHERE email = $1', [
      `${username}@ad.acci.test`,
    ]);
    expect(created.rowCount).toBe(0);
  });
});

describe('testLdapConnection', () => {
  function test(input: Body = {}) {
    return call('test-ldap-connection', 'testLdapConnection', input, adminSession);
  }

  it('reports a working connection and the entry count', async () => {
    const result = await test({ username: 'alice' });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      ok: true,
      code: null,
      message: `Connected, bound as "${testDirectory.serviceDn}" and read the search base. The filter matches 1 entry for "alice".`,
      entryCount: 1,
    });
  });

  it.each([
    [
      { bindPassword: 'wrong' },
      'directory-bind-failed',
      'Check the bind DN and the bind password.',
    ],
    [
      { searchBase: 'ou=missing,dc=acci,dc=test' },
      'directory-search-failed',
      'Check the search base',
    ],
  ])('reports %j', async (change, code, hint) => {
    expect((await save(settings(change))).status).toBe(200);
    try {
      const result = await test();
      expect(result.body).toMatchObject({ ok: false, code, entryCount: null });
      expect(String(result.body.message)).toContain(hint);
    } finally {
      await save(settings());
    }
  });

  it('reports an unreachable server', async () => {
    const port = await findFreePort();
    expect((await save(settings({ url: `ldap://127.0.0.1:${port}` }))).status).toBe(200);
    try {
      const result = await test();
      expect(result.body).toMatchObject({ ok: false, code: 'directory-unavailable' });
      expect(String(result.body.message)).toContain('Check the URL, the port, StartTLS');
    } finally {
      await save(settings());
    }
  });

  it('answers directory-not-configured without settings', async () => {
    const bare = await signIn(server, ids.bare, 'admin@bare.test');
    const result = await call('test-ldap-connection', 'testLdapConnection', {}, bare.session);
    expectError(result, 400, 'directory-not-configured');
    expect(result.body.message).toBe(
      'No directory settings are saved. Save them with "setDirectorySettings" first.',
    );
  });
});
