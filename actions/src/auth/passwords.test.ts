import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import { callAs, seedPassword, seedTenant, seedUser, signIn } from '../testing/auth.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { startTestSmtpServer, type TestSmtpServer, tokenFromMail } from '../testing/smtp.js';

const ids = {
  tenant: '13000000-0000-4000-8000-000000000001',
  admin: '23000000-0000-4000-8000-000000000001',
  alice: '23000000-0000-4000-8000-000000000002',
  bob: '23000000-0000-4000-8000-000000000003',
  carol: '23000000-0000-4000-8000-000000000004',
};
const policy = { passwordPolicy: { minLength: 14, requireDigit: true } };
const newPassword = 'fresh password 2024';

let database: TestDatabase;
let client: pg.Client;
let smtp: TestSmtpServer;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase('passwords');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedTenant(client, {
    id: ids.tenant,
    domain: 'pw.test',
    configuration: { security: policy },
  });
  await seedUser(client, {
    id: ids.admin,
    tenantId: ids.tenant,
    email: 'admin@pw.test',
    roles: ['tenant_admin'],
  });
  await seedUser(client, { id: ids.alice, tenantId: ids.tenant, email: 'alice@pw.test' });
  await seedUser(client, { id: ids.bob, tenantId: ids.tenant, email: 'bob@pw.test' });
  await seedUser(client, { id: ids.carol, tenantId: ids.tenant, email: 'carol@pw.test' });
  await client.query(`INSERT INTO roles (tenant_id, name) VALUES ($1, 'editor')`, [ids.tenant]);
  smtp = await startTestSmtpServer();
  server = await startTestServer(database.url, {
    SMTP_URL: smtp.url,
    MAIL_FROM: 'ACCI <no-reply@pw.test>',
    ACCI_CONSOLE_URL: 'https://console.pw.test/',
  });
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await client?.end();
  await database?.drop();
});

async function call(path: string, name: string, input: object, session?: Record<string, string>) {
  const response = await callAs(server, path, name, { ...input }, session);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function auditActions(userId: string): Promise<string[]> {
  const result = await client.query(
    `SELECT action FROM audit_events WHERE resource_id = $1 ORDER BY id`,
    [userId],
  );
  return result.rows.map((row) => row.action);
}

describe('changePassword', () => {
  it('changes the password and ends the other sessions', async () => {
    const current = await signIn(server, ids.tenant, 'alice@pw.test');
    const other = await signIn(server, ids.tenant, 'alice@pw.test');
    const result = await call(
      'change-password',
      'changePassword',
      { currentPassword: seedPassword, newPassword },
      current.session,
    );
    expect(result).toEqual({ status: 200, body: { revokedSessions: 1 } });
    const sessions = await client.query(
      'SELECT id, revoked_reason FROM sessions WHERE user_id = $1 ORDER BY created_at',
      [ids.alice],
    );
    expect(sessions.rows).toEqual([
      { id: current.session['x-hasura-session-id'], revoked_reason: null },
      { id: other.session['x-hasura-session-id'], revoked_reason: 'password-changed' },
    ]);
    await signIn(server, ids.tenant, 'alice@pw.test', newPassword);
    expect(await auditActions(ids.alice)).toContain('auth.password.changed');
  });

  it('rejects a wrong current password', async () => {
    const login = await signIn(server, ids.tenant, 'bob@pw.test');
    const result = await call(
      'change-password',
      'changePassword',
      { currentPassword: 'wrong', newPassword },
      login.session,
    );
    expect(result).toEqual({
      status: 400,
      body: {
        message: 'The current password is wrong. Enter the password you signed in with.',
        extensions: { code: 'invalid-current-password' },
      },
    });
  });

  it('names the failed rule of the tenant policy', async () => {
    const login = await signIn(server, ids.tenant, 'bob@pw.test');
    const result = await call(
      'change-password',
      'changePassword',
      { currentPassword: seedPassword, newPassword: 'no digits in here' },
      login.session,
    );
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      message:
        'The new password must contain a digit (rule "requireDigit" of the tenant\'s password ' +
        'policy). Choose a password that meets it.',
      extensions: { code: 'password-policy-violation' },
    });
  });
});

describe('password reset', () => {
  it('mails a link whose token sets a new password once', async () => {
    const login = await signIn(server, ids.tenant, 'carol@pw.test');
    const request = await call('request-password-reset', 'requestPasswordReset', {
      tenantId: 'pw.test',
      email: 'CAROL@pw.test',
    });
    expect(request).toEqual({ status: 200, body: { accepted: true } });

    const mail = await smtp.waitForMail('carol@pw.test');
    expect(mail.subject).toBe('Reset your ACCI password');
    expect(mail.text).toContain('https://console.pw.test/reset-password#token=');
    expect(mail.text).toContain('expires in 30 minutes');
    expect(mail.html).toContain('<a href="https://console.pw.test/reset-password#token=');
    const token = tokenFromMail(mail);
    const stored = await client.query(
      `SELECT expires_at - created_at AS ttl FROM user_tokens WHERE user_id = $1 AND used_at IS NULL`,
      [ids.carol],
    );
    expect(stored.rows).toEqual([{ ttl: { minutes: 30 } }]);

    const weak = await call('reset-password', 'resetPassword', { token, newPassword: 'short1' });
    expect(weak.body).toMatchObject({ extensions: { code: 'password-policy-violation' } });

    const reset = await call('reset-password', 'resetPassword', { token, newPassword });
    expect(reset).toEqual({ status: 200, body: { passwordChanged: true } });
    const again = await call('reset-password', 'resetPassword', { token, newPassword });
    expect(again).toEqual({
      status: 400,
      body: {
        message: 'Invalid, expired or already used link. Request a new one.',
        extensions: { code: 'invalid-token' },
      },
    });

    const session = await client.query('SELECT revoked_reason FROM sessions WHERE id = $1', [
      login.session['x-hasura-session-id'],
    ]);
    expect(session.rows[0].revoked_reason).toBe('password-reset');
    await signIn(server, ids.tenant, 'carol@pw.test', newPassword);
    expect(await auditActions(ids.carol)).toEqual(
      expect.arrayContaining(['auth.password.reset-requested', 'auth.password.reset']),
    );
    expect(server.logText()).not.toContain(token);
  });

  it('answers an unknown account the same way and mails nothing', async () => {
    const before = smtp.messages.length;
    const request = await call('request-password-reset', 'requestPasswordReset', {
      tenantId: 'pw.test',
      email: 'nobody@pw.test',
    });
    expect(request).toEqual({ status: 200, body: { accepted: true } });
    const deadline = Date.now() + 2000;
    let audited = 0;
    while (audited === 0 && Date.now() < deadline) {
      const rows = await client.query(
        `SELECT 1 FROM audit_events WHERE action = 'auth.password.reset-requested' AND resource_id IS NULL`,
      );
      audited = rows.rowCount ?? 0;
    }
    expect(audited).toBe(1);
    expect(smtp.messages.length).toBe(before);
  });
});

describe('invitations', () => {
  it('invites a pending user who accepts with a password', async () => {
    const admin = await signIn(server, ids.tenant, 'admin@pw.test');
    const invite = await call(
      'invite-user',
      'inviteUser',
      { email: 'dora@pw.test', firstName: 'Dora', lastName: 'New', roles: ['editor'] },
      admin.session,
    );
    expect(invite.status).toBe(200);
    const userId = String(invite.body.userId);
    const user = await client.query('SELECT status, password_hash FROM users WHERE id = $1', [
      userId,
    ]);
    expect(user.rows).toEqual([{ status: 'pending', password_hash: null }]);

    const mail = await smtp.waitForMail('dora@pw.test');
    expect(mail.subject).toBe('You are invited to pw.test on ACCI');
    expect(mail.text).toContain('Hello Dora,');
    const token = tokenFromMail(mail);

    const accepted = await call('accept-invite', 'acceptInvite', { token, password: newPassword });
    expect(accepted).toEqual({ status: 200, body: { userId, tenantId: ids.tenant } });
    await signIn(server, ids.tenant, 'dora@pw.test', newPassword);
    const again = await call('accept-invite', 'acceptInvite', { token, password: newPassword });
    expect(again.body).toMatchObject({ extensions: { code: 'invalid-token' } });
    expect(await auditActions(userId)).toEqual(['auth.invite.created', 'auth.invite.accepted']);
  });

  it('rejects an existing email and an unknown role', async () => {
    const admin = await signIn(server, ids.tenant, 'admin@pw.test');
    const input = { email: 'bob@pw.test', firstName: 'B', lastName: 'B', roles: [] };
    const exists = await call('invite-user', 'inviteUser', input, admin.session);
    expect(exists).toEqual({
      status: 409,
      body: {
        message: 'A user with this email exists in the tenant already. Edit that user instead.',
        extensions: { code: 'user-exists' },
      },
    });
    const unknownRole = await call(
      'invite-user',
      'inviteUser',
      { ...input, email: 'eve@pw.test', roles: ['owner'] },
      admin.session,
    );
    expect(unknownRole.body).toEqual({
      message: 'The tenant has no role "owner". Create it first or pick one of the existing roles.',
      extensions: { code: 'validation-failed' },
    });
  });

  it('rejects a caller who is not a tenant admin', async () => {
    const bob = await signIn(server, ids.tenant, 'bob@pw.test');
    const result = await call(
      'invite-user',
      'inviteUser',
      { email: 'fred@pw.test', firstName: 'F', lastName: 'F', roles: [] },
      bob.session,
    );
    expect(result).toEqual({
      status: 403,
      body: {
        message: 'Only a tenant admin may invite users.',
        extensions: { code: 'access-denied' },
      },
    });
  });
});
