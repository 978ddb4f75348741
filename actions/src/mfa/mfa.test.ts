import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import { callAs, seedPassword, seedTenant, seedUser, signIn } from '../testing/auth.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import {
  base32Decode,
  type SmsReceiver,
  startSmsReceiver,
  testEncryptionKeys,
} from './test-support.js';
import { hotp, totpStep } from './totp.js';

const ids = {
  tenant: '12000000-0000-4000-8000-000000000001',
  policy: '12000000-0000-4000-8000-000000000002',
  tina: '22000000-0000-4000-8000-000000000001',
  rita: '22000000-0000-4000-8000-000000000002',
  sam: '22000000-0000-4000-8000-000000000003',
  dan: '22000000-0000-4000-8000-000000000004',
  paula: '22000000-0000-4000-8000-000000000005',
  peter: '22000000-0000-4000-8000-000000000006',
  eve: '22000000-0000-4000-8000-000000000007',
  pete: '22000000-0000-4000-8000-000000000008',
};

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;
let sms: SmsReceiver;

type Body = Record<string, unknown>;

async function call(
  path: string,
  name: string,
  input: Body,
  session?: Record<string, string>,
): Promise<{ status: number; body: Body }> {
  const response = await callAs(server, path, name, input, session);
  return { status: response.status, body: (await response.json()) as Body };
}

function login(tenantId: string, email: string) {
  return call('login', 'login', { tenantId, email, password: seedPassword });
}

function codeAt(secret: Buffer, offset = 0): string {
  return hotp(secret, totpStep(Date.now() / 1000) + offset);
}

function expectError(result: { status: number; body: Body }, status: number, code: string) {
  expect(result.body.extensions).toEqual({ code });
  expect(result.status).toBe(status);
}

/** Enrols and confirms TOTP for a signed-in user; returns the secret and recovery codes. */
async function enrolTotp(tenantId: string, email: string) {
  const { session } = await signIn(server, tenantId, email);
  const enabled = await call('enable-mfa', 'enableMfa', { type: 'totp' }, session);
  expect(enabled.status).toBe(200);
  const secret = base32Decode(String(enabled.body.secret));
  const confirmed = await call('confirm-mfa', 'confirmMfa', { code: codeAt(secret) }, session);
  expect(confirmed.status).toBe(200);
  return { secret, session, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

async function mfaTokenOf(tenantId: string, email: string): Promise<string> {
  const result = await login(tenantId, email);
  expect(result.body.mfaRequired).toBe(true);
  return String(result.body.mfaToken);
}

async function auditActions(userId: string): Promise<string[]> {
  const result = await client.query<{ action: string }>(
    `SELECT action FROM audit_events WHERE actor_user_id = $1 ORDER BY id`,
    [userId],
  );
  return result.rows.map((row) => row.action);
}

beforeAll(async () => {
  database = await createTestDatabase('mfa');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedTenant(client, { id: ids.tenant, domain: 'mfa.test' });
  await seedTenant(client, {
    id: ids.policy,
    domain: 'policy.test',
    configuration: { security: { mfa: { requiredForRoles: ['tenant_admin'] } } },
  });
  for (const name of ['tina', 'rita', 'sam', 'dan', 'eve', 'pete'] as const) {
    await seedUser(client, { id: ids[name], tenantId: ids.tenant, email: `${name}@mfa.test` });
  }
  await seedUser(client, {
    id: ids.paula,
    tenantId: ids.policy,
    email: 'paula@policy.test',
    roles: ['tenant_admin'],
  });
  await seedUser(client, { id: ids.peter, tenantId: ids.policy, email: 'peter@policy.test' });
  sms = await startSmsReceiver();
  server = await startTestServer(database.url, {
    ACCI_ENCRYPTION_KEYS: testEncryptionKeys,
    SMS_GATEWAY_URL: sms.url,
    SMS_GATEWAY_TOKEN: 'gateway-token-for-tests',
  });
});

afterAll(async () => {
  await server?.close();
  await sms?.close();
  await client?.end();
  await database?.drop();
});

describe('enableMfa with TOTP', () => {
  it('returns the secret, URI and QR code once', async () => {
    const { session } = await signIn(server, ids.tenant, 'eve@mfa.test');
    const { status, body } = await call('enable-mfa', 'enableMfa', { type: 'totp' }, session);

    expect(status).toBe(200);
    expect(body.type).toBe('totp');
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(String(body.otpauthUri));
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(body.secret);
    expect(decodeURIComponent(uri.pathname)).toBe('/ACCI:eve@mfa.test');
    const dataUrl = String(body.qrCodeDataUrl);
    expect(dataUrl).toMatch(/^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]{100,}$/);
    const svg = Buffer.from(dataUrl.split(',')[1] ?? '', 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('stores the secret encrypted and unconfirmed', async () => {
    const { session } = await signIn(server, ids.tenant, 'eve@mfa.test');
    const { body } = await call('enable-mfa', 'enableMfa', { type: 'totp' }, session);
    const secret = base32Decode(String(body.secret));
    const stored = await client.query<{ secret_encrypted: Buffer; confirmed_at: Date | null }>(
      'SELECT secret_encrypted, confirmed_at FROM auth_factors WHERE id = $1',
      [body.factorId],
    );

    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]?.confirmed_at).toBeNull();
    expect(stored.rows[0]?.secret_encrypted.includes(secret)).toBe(false);
    expect(stored.rows[0]?.secret_encrypted.subarray(2, 7).toString()).toBe('test1');
  });

  it('keeps password sign-in while unconfirmed', async () => {
    const result = await login(ids.tenant, 'eve@mfa.test');
    expect(result.body.mfaRequired).toBe(false);
    expect(typeof result.body.accessToken).toBe('string');
  });

  it('requires a signed-in session', async () => {
    const result = await call('enable-mfa', 'enableMfa', { type: 'totp' });
    expectError(result, 403, 'access-denied');
  });

  it('requires a phone number for SMS', async () => {
    const { session } = await signIn(server, ids.tenant, 'eve@mfa.test');
    const result = await call('enable-mfa', 'enableMfa', { type: 'sms' }, session);
    expectError(result, 400, 'validation-failed');
    expect(result.body.message).toBe(
      'Invalid "enableMfa" input: "input.phoneNumber" is required when "type" is "sms".',
    );
  });

  it('rejects an unknown type', async () => {
    const { session } = await signIn(server, ids.tenant, 'eve@mfa.test');
    const result = await call('enable-mfa', 'enableMfa', { type: 'email' }, session);
    expectError(result, 400, 'validation-failed');
    expect(result.body.message).toBe(
      'Invalid "enableMfa" input: "input.type" must be "totp" or "sms".',
    );
  });
});

describe('confirmMfa', () => {
  it('rejects a wrong code and keeps the factor unconfirmed', async () => {
    const { session } = await signIn(server, ids.tenant, 'dan@mfa.test');
    const enabled = await call('enable-mfa', 'enableMfa', { type: 'totp' }, session);
    const secret = base32Decode(String(enabled.body.secret));
    const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, '0');
    const result = await call('confirm-mfa', 'confirmMfa', { code: wrong }, session);

    expectError(result, 400, 'invalid-mfa-code');
    expect(result.body.message).toMatch(/^Invalid or expired code\./);
    const confirmed = await client.query(
      'SELECT 1 FROM auth_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL',
      [ids.dan],
    );
    expect(confirmed.rowCount).toBe(0);
  });

  it('returns ten recovery codes stored as hashes', async () => {
    const { recoveryCodes } = await enrolTotp(ids.tenant, 'tina@mfa.test');

    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes)
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
    const stored = await client.query<{ secret_encrypted: Buffer }>(
      `SELECT secret_encrypted FROM auth_factors WHERE user_id = $1 AND type = 'recovery-code'`,
      [ids.tina],
    );
    expect(stored.rowCount).toBe(10);
    const text = stored.rows.map((row) => row.secret_encrypted.toString('latin1')).join('');
    for (const code of recoveryCodes) expect(text.includes(code.replaceAll('-', ''))).toBe(false);
  });

  it('rejects a second enrolment of the same type', async () => {
    const { session } = await enrolTotp(ids.tenant, 'pete@mfa.test');
    const result = await call('enable-mfa', 'enableMfa', { type: 'totp' }, session);
    expectError(result, 409, 'mfa-already-enabled');
    expect(result.body.message).toBe(
      'A confirmed "totp" factor exists already. Disable it with "disableMfa" first.',
    );
  });
});

describe('verifyMfa', () => {
  it('answers mfaRequired without tokens', async () => {
    await enrolTotp(ids.tenant, 'rita@mfa.test');
    const result = await login(ids.tenant, 'rita@mfa.test');

    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      accessToken: null,
      refreshToken: null,
      mfaRequired: true,
      mfaEnrolmentRequired: false,
      mfaMethods: ['totp'],
      user: null,
    });
    expect(String(result.body.mfaToken)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sessions = await client.query('SELECT 1 FROM sessions WHERE user_id = $1', [ids.rita]);
    expect(sessions.rowCount).toBe(1);
  });

  it('completes the sign-in once and rejects the replayed code', async () => {
    const { secret } = await enrolTotp(ids.tenant, 'sam@mfa.test');
    // The confirmation used the current step, so its code is a replay now.
    const replay = await call('verify-mfa', 'verifyMfa', {
      mfaToken: await mfaTokenOf(ids.tenant, 'sam@mfa.test'),
      code: codeAt(secret),
    });
    expectError(replay, 400, 'invalid-mfa-code');

    const mfaToken = await mfaTokenOf(ids.tenant, 'sam@mfa.test');
    const next = codeAt(secret, 1);
    const accepted = await call('verify-mfa', 'verifyMfa', { mfaToken, code: next });
    expect(accepted.status).toBe(200);
    expect(accepted.body.mfaRequired).toBe(false);
    expect(typeof accepted.body.accessToken).toBe('string');
    expect(accepted.body.user).toMatchObject({ id: ids.sam, email: 'sam@mfa.test' });

    const again = await call('verify-mfa', 'verifyMfa', { mfaToken, code: next });
    expectError(again, 400, 'invalid-mfa-token');
    const reused = await call('verify-mfa', 'verifyMfa', {
      mfaToken: await mfaTokenOf(ids.tenant, 'sam@mfa.test'),
      code: next,
    });
    expectError(reused, 400, 'invalid-mfa-code');
  });

  it('accepts a recovery code once', async () => {
    const { recoveryCodes } = await enrolTotp(ids.tenant, 'dan@mfa.test');
    const code = recoveryCodes[3] ?? '';
    const first = await call('verify-mfa', 'verifyMfa', {
      mfaToken: await mfaTokenOf(ids.tenant, 'dan@mfa.test'),
      code: code.toUpperCase(),
    });
    expect(first.status).toBe(200);
    expect(typeof first.body.accessToken).toBe('string');

    const second = await call('verify-mfa', 'verifyMfa', {
      mfaToken: await mfaTokenOf(ids.tenant, 'dan@mfa.test'),
      code,
    });
    expectError(second, 400, 'invalid-mfa-code');
  });

  it('stops a challenge after five wrong codes', async () => {
    const mfaToken = await mfaTokenOf(ids.tenant, 'rita@mfa.test');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const result = await call('verify-mfa', 'verifyMfa', { mfaToken, code: '000000' });
      expectError(result, 400, 'invalid-mfa-code');
    }
    const sixth = await call('verify-mfa', 'verifyMfa', { mfaToken, code: '000000' });
    expectError(sixth, 400, 'invalid-mfa-token');
    expect(sixth.body.message).toBe('Invalid, expired or already used MFA token. Sign in again.');
  });

  it('rejects an expired token', async () => {
    const mfaToken = await mfaTokenOf(ids.tenant, 'rita@mfa.test');
    await client.query(
      `UPDATE mfa_challenges SET created_at = now() - interval '10 minutes',
              expires_at = now() - interval '5 minutes'
        WHERE user_id = $1 AND consumed_at IS NULL`,
      [ids.rita],
    );
    const result = await call('verify-mfa', 'verifyMfa', { mfaToken, code: '123456' });
    expectError(result, 400, 'invalid-mfa-token');
  });

  it('rejects an unknown token', async () => {
    const result = await call('verify-mfa', 'verifyMfa', { mfaToken: 'x'.repeat(43), code: '1' });
    expectError(result, 400, 'invalid-mfa-token');
  });

  it('audits challenges, failures and success', async () => {
    const actions = await auditActions(ids.sam);
    expect(actions).toEqual(
      expect.arrayContaining([
        'auth.mfa.enrolment-started',
        'auth.mfa.enrolled',
        'auth.mfa.challenged',
        'auth.mfa.failed',
        'auth.mfa.verified',
      ]),
    );
    const login = await client.query<{ after: Body }>(
      `SELECT after FROM audit_events WHERE actor_user_id = $1 AND action = 'auth.login.succeeded'
        ORDER BY id DESC LIMIT 1`,
      [ids.sam],
    );
    expect(login.rows[0]?.after).toMatchObject({ method: 'password', secondFactor: 'totp' });
  });
});

describe('disableMfa', () => {
  it('requires a valid code', async () => {
    const { secret, session } = await enrolTotp(ids.tenant, 'eve@mfa.test');
    const wrong = await call('disable-mfa', 'disableMfa', { code: '999999' }, session);
    expectError(wrong, 400, 'invalid-mfa-code');

    const right = await call('disable-mfa', 'disableMfa', { code: codeAt(secret, 1) }, session);
    expect(right).toEqual({ status: 200, body: { disabled: true } });
    const factors = await client.query('SELECT 1 FROM auth_factors WHERE user_id = $1', [ids.eve]);
    expect(factors.rowCount).toBe(0);
    const after = await login(ids.tenant, 'eve@mfa.test');
    expect(after.body.mfaRequired).toBe(false);
    expect(await auditActions(ids.eve)).toContain('auth.mfa.disabled');
  });

  it('answers mfa-not-enabled without factors', async () => {
    const { session } = await signIn(server, ids.tenant, 'eve@mfa.test');
    const result = await call('disable-mfa', 'disableMfa', { code: '123456' }, session);
    expectError(result, 400, 'mfa-not-enabled');
  });
});
