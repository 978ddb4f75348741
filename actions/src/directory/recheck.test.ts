import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import { testDirectory } from '../../../tests/harness/ldap.js';
import { serviceUrl } from '../../../tests/harness/services.js';
import { base32Decode, testEncryptionKeys } from '../mfa/test-support.js';
import { hotp, totpStep } from '../mfa/totp.js';
import { callAs, seedTenant, seedUser, signIn } from '../testing/auth.js';
import { startTestServer, type TestServer } from '../testing/server.js';

const ids = {
  tenant: '15000000-0000-4000-8000-000000000001',
  admin: '25000000-0000-4000-8000-000000000001',
};

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;

type Body = Record<string, unknown>;

async function call(path: string, name: string, input: Body, session?: Record<string, string>) {
  const response = await callAs(server, path, name, input, session);
  return { status: response.status, body: (await response.json()) as Body };
}

function ldapLogin(username: string) {
  return call('login-ldap', 'loginLdap', {
    tenantId: ids.tenant,
    username,
    password: testDirectory.password,
  });
}

function refresh(refreshToken: unknown) {
  return call('refresh-token', 'refreshToken', { refreshToken });
}

/** Makes the next refresh of the user due for a directory check. */
async function makeDue(email: string): Promise<void> {
  await client.query(
    `UPDATE users SET directory_checked_at = now() - interval '1 hour' WHERE email = $1`,
    [email],
  );
}

beforeAll(async () => {
  database = await createTestDatabase('ldap-recheck');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedTenant(client, { id: ids.tenant, domain: 'recheck.test' });
  await seedUser(client, {
    id: ids.admin,
    tenantId: ids.tenant,
    email: 'admin@recheck.test',
    roles: ['tenant_admin'],
  });
  server = await startTestServer(database.url, {
    ACCI_ENCRYPTION_KEYS: testEncryptionKeys,
    LDAP_RECHECK_SECONDS: '60',
  });
  const { session } = await signIn(server, ids.tenant, 'admin@recheck.test');
  const saved = await call(
    'set-directory-settings',
    'setDirectorySettings',
    {
      settings: {
        enabled: true,
        url: serviceUrl('ldap'),
        bindDn: testDirectory.serviceDn,
        bindPassword: testDirectory.password,
        searchBase: testDirectory.baseDn,
        searchFilter: '(uid={{username}})',
        groupRoleMap: [
          { group: `cn=acci-admins,ou=groups,${testDirectory.baseDn}`, role: 'tenant_admin' },
        ],
      },
    },
    session,
  );
  expect(saved.status).toBe(200);
});

afterAll(async () => {
  await server?.close();
  await client?.end();
  await database?.drop();
});

describe('recheckDirectoryUser on refresh', () => {
  it('skips the directory within LDAP_RECHECK_SECONDS', async () => {
    const login = await ldapLogin('bob');
    await client.query(
      `UPDATE users SET directory_dn = 'uid=gone,dc=acci,dc=test' WHERE email = 'bob@demo.test'`,
    );
    try {
      const result = await refresh(login.body.refreshToken);
      expect(result.status).toBe(200);
    } finally {
      await client.query(
        `UPDATE users SET directory_dn = 'uid=bob,ou=people,dc=acci,dc=test' WHERE email = 'bob@demo.test'`,
      );
    }
  });

  it('confirms a live entry and stamps the check', async () => {
    const login = await ldapLogin('alice');
    await makeDue('alice@demo.test');
    const result = await refresh(login.body.refreshToken);
    expect(result.status).toBe(200);
    const checked = await client.query<{ fresh: boolean }>(
      `SELECT directory_checked_at > now() - interval '1 minute' AS fresh FROM users
        WHERE email = 'alice@demo.test'`,
    );
    expect(checked.rows[0]?.fresh).toBe(true);
  });

  it('ends the session of an entry that is gone', async () => {
    const login = await ldapLogin('bob');
    await makeDue('bob@demo.test');
    await client.query(
      `UPDATE users SET directory_dn = 'uid=gone,dc=acci,dc=test' WHERE email = 'bob@demo.test'`,
    );

    const result = await refresh(login.body.refreshToken);
    expect(result).toEqual({
      status: 400,
      body: {
        message: 'Invalid, expired or revoked refresh token. Sign in again.',
        extensions: { code: 'invalid-refresh-token' },
      },
    });
    const sessions = await client.query(
      `SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE u.email = 'bob@demo.test' AND s.revoked_at IS NULL`,
    );
    expect(sessions.rowCount).toBe(0);
    const audit = await client.query<{ after: Body }>(
      `SELECT after FROM audit_events WHERE action = 'directory.user.rejected'`,
    );
    expect(audit.rows[0]?.after).toMatchObject({ reason: 'directory-account-inactive' });
  });

  it('ends the session when directory sign-in is switched off', async () => {
    const login = await ldapLogin('alice');
    await makeDue('alice@demo.test');
    await client.query('UPDATE tenant_directories SET enabled = false WHERE tenant_id = $1', [
      ids.tenant,
    ]);
    try {
      const result = await refresh(login.body.refreshToken);
      expect(result.status).toBe(400);
      expect(result.body.extensions).toEqual({ code: 'invalid-refresh-token' });
    } finally {
      await client.query('UPDATE tenant_directories SET enabled = true WHERE tenant_id = $1', [
        ids.tenant,
      ]);
    }
  });

  it('keeps the session while the directory is unreachable', async () => {
    const login = await ldapLogin('alice');
    await makeDue('alice@demo.test');
    await client.query(
      `UPDATE tenant_directories SET settings = jsonb_set(settings, '{url}', '"ldap://127.0.0.1:1"')
        WHERE tenant_id = $1`,
      [ids.tenant],
    );
    try {
      const result = await refresh(login.body.refreshToken);
      expect(result.status).toBe(200);
    } finally {
      await client.query(
        `UPDATE tenant_directories SET settings = jsonb_set(settings, '{url}', to_jsonb($2::text))
          WHERE tenant_id = $1`,
        [ids.tenant, serviceUrl('ldap')],
      );
    }
  });
});

describe('loginLdap with a second factor', () => {
  it('asks for the factor of a directory user', async () => {
    const login = await ldapLogin('alice');
    const session = {
      'x-hasura-role': 'user',
      'x-hasura-user-id': String((login.body.user as Body).id),
      'x-hasura-tenant-id': ids.tenant,
      'x-hasura-session-id':
        (
          await client.query<{ id: string }>(
            `SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE u.email = 'alice@demo.test' AND s.revoked_at IS NULL
            ORDER BY s.created_at DESC LIMIT 1`,
          )
        ).rows[0]?.id ?? '',
    };
    const enabled = await call('enable-mfa', 'enableMfa', { type: 'totp' }, session);
    const secret = base32Decode(String(enabled.body.secret));
    const code = hotp(secret, totpStep(Date.now() / 1000));
    expect((await call('confirm-mfa', 'confirmMfa', { code }, session)).status).toBe(200);

    const challenge = await ldapLogin('alice');
    expect(challenge.body).toMatchObject({
      mfaRequired: true,
      accessToken: null,
      mfaMethods: ['totp'],
    });
    const verified = await call('verify-mfa', 'verifyMfa', {
      mfaToken: challenge.body.mfaToken,
      code: hotp(secret, totpStep(Date.now() / 1000) + 1),
    });
    expect(verified.status).toBe(200);
    const audit = await client.query<{ after: Body }>(
      `SELECT after FROM audit_events WHERE action = 'auth.login.succeeded' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0]?.after).toMatchObject({ method: 'directory', secondFactor: 'totp' });
  });
});
