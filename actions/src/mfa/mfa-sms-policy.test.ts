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
  tenant: '13000000-0000-4000-8000-000000000001',
  policy: '13000000-0000-4000-8000-000000000002',
  sara: '23000000-0000-4000-8000-000000000001',
  sid: '23000000-0000-4000-8000-000000000002',
  sue: '23000000-0000-4000-8000-000000000003',
  paula: '23000000-0000-4000-8000-000000000004',
  peter: '23000000-0000-4000-8000-000000000005',
  pia: '23000000-0000-4000-8000-000000000006',
};
const phone = '+4930123456789';

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;
let sms: SmsReceiver;

type Body = Record<string, unknown>;
type Result = { status: number; body: Body };

async function call(path: string, name: string, input: Body, session?: Record<string, string>) {
  const response = await callAs(server, path, name, input, session);
  return { status: response.status, body: (await response.json()) as Body };
}

function login(tenantId: string, email: string) {
  return call('login', 'login', { tenantId, email, password: seedPassword });
}

function expectError(result: Result, status: number, code: string) {
  expect(result.body.extensions).toEqual({ code });
  expect(result.status).toBe(status);
}

function lastSms() {
  const message = sms.messages.at(-1);
  if (message === undefined) throw new Error('The SMS receiver got no message.');
  return message;
}

/** Enrols and confirms an SMS factor through a signed-in session. */
async function enrolSms(tenantId: string, email: string) {
  const { session } = await signIn(server, tenantId, email);
  const enabled = await call(
    'enable-mfa',
    'enableMfa',
    { type: 'sms', phoneNumber: phone },
    session,
  );
  expect(enabled.status).toBe(200);
  const confirmed = await call('confirm-mfa', 'confirmMfa', { code: lastSms().code }, session);
  expect(confirmed.status).toBe(200);
  return { session };
}

beforeAll(async () => {
  database = await createTestDatabase('mfa-sms-policy');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedTenant(client, { id: ids.tenant, domain: 'sms.test' });
  await seedTenant(client, {
    id: ids.policy,
    domain: 'policy.test',
    configuration: { security: { mfa: { requiredForRoles: ['tenant_admin'] } } },
  });
  for (const name of ['sara', 'sid', 'sue'] as const) {
    await seedUser(client, { id: ids[name], tenantId: ids.tenant, email: `${name}@sms.test` });
  }
  for (const name of ['paula', 'pia'] as const) {
    await seedUser(client, {
      id: ids[name],
      tenantId: ids.policy,
      email: `${name}@policy.test`,
      roles: ['tenant_admin'],
    });
  }
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

describe('SMS factor', () => {
  it('sends the enrolment code through the gateway', async () => {
    const { session } = await signIn(server, ids.tenant, 'sara@sms.test');
    const before = sms.messages.length;
    const result = await call(
      'enable-mfa',
      'enableMfa',
      { type: 'sms', phoneNumber: phone },
      session,
    );

    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ type: 'sms', phoneNumber: phone, secret: null });
    expect(sms.messages).toHaveLength(before + 1);
    expect(lastSms().to).toBe(phone);
    expect(lastSms().code).toMatch(/^\d{6}$/);
    expect(lastSms().headers.authorization).toBe('Bearer gateway-token-for-tests');
    expect(lastSms().headers['content-type']).toBe('application/json');
  });

  it('rejects a number not in E.164 form', async () => {
    const { session } = await signIn(server, ids.tenant, 'sara@sms.test');
    const result = await call(
      'enable-mfa',
      'enableMfa',
      { type: 'sms', phoneNumber: '0151 123' },
      session,
    );
    expectError(result, 400, 'validation-failed');
    expect(result.body.message).toContain(
      '"input.phoneNumber" must be a phone number in E.164 form',
    );
  });

  it('signs in with the code sent at sign-in', async () => {
    await enrolSms(ids.tenant, 'sid@sms.test');
    const challenge = await login(ids.tenant, 'sid@sms.test');
    expect(challenge.body).toMatchObject({ mfaRequired: true, mfaMethods: ['sms'] });

    const result = await call('verify-mfa', 'verifyMfa', {
      mfaToken: challenge.body.mfaToken,
      code: lastSms().code,
    });
    expect(result.status).toBe(200);
    expect(typeof result.body.accessToken).toBe('string');
  });

  it('discards a code after five wrong attempts', async () => {
    const { session } = await enrolSms(ids.tenant, 'sara@sms.test');
    const sent = await call('send-mfa-sms', 'sendMfaSms', {}, session);
    expect(sent).toEqual({ status: 200, body: { sent: true, expiresIn: 300 } });
    const code = lastSms().code;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const result = await call('disable-mfa', 'disableMfa', { code: wrong }, session);
      expectError(result, 400, 'invalid-mfa-code');
    }
    const right = await call('disable-mfa', 'disableMfa', { code }, session);
    expectError(right, 400, 'invalid-mfa-code');
    const attempts = await client.query<{ attempts: number }>(
      'SELECT attempts FROM mfa_codes WHERE user_id = $1 AND consumed_at IS NULL',
      [ids.sara],
    );
    expect(attempts.rows).toEqual([{ attempts: 5 }]);
  });

  it('rejects an expired code', async () => {
    const challenge = await login(ids.tenant, 'sid@sms.test');
    await client.query(
      `UPDATE mfa_codes SET created_at = now() - interval '6 minutes',
              expires_at = now() - interval '1 minute'
        WHERE user_id = $1 AND consumed_at IS NULL`,
      [ids.sid],
    );
    const result = await call('verify-mfa', 'verifyMfa', {
      mfaToken: challenge.body.mfaToken,
      code: lastSms().code,
    });
    expectError(result, 400, 'invalid-mfa-code');
  });

  it('sends a new code on request and retires the old one', async () => {
    const challenge = await login(ids.tenant, 'sid@sms.test');
    const old = lastSms().code;
    const resent = await call('send-mfa-sms', 'sendMfaSms', { mfaToken: challenge.body.mfaToken });
    expect(resent).toEqual({ status: 200, body: { sent: true, expiresIn: 300 } });
    const fresh = lastSms().code;
    if (old !== fresh) {
      const stale = await call('verify-mfa', 'verifyMfa', {
        mfaToken: challenge.body.mfaToken,
        code: old,
      });
      expectError(stale, 400, 'invalid-mfa-code');
    }
    const result = await call('verify-mfa', 'verifyMfa', {
      mfaToken: challenge.body.mfaToken,
      code: fresh,
    });
    expect(result.status).toBe(200);
  });

  it('answers sms-delivery-failed when the gateway fails', async () => {
    const { session } = await signIn(server, ids.tenant, 'sue@sms.test');
    sms.status = 500;
    try {
      const result = await call(
        'enable-mfa',
        'enableMfa',
        { type: 'sms', phoneNumber: phone },
        session,
      );
      expectError(result, 400, 'sms-delivery-failed');
      expect(result.body.message).toBe('The SMS could not be sent. Try again in a minute.');
    } finally {
      sms.status = 202;
    }
    const codes = await client.query('SELECT 1 FROM mfa_codes WHERE user_id = $1', [ids.sue]);
    expect(codes.rowCount).toBe(0);
  });

  it('never logs codes or numbers', () => {
    const log = server.logText();
    for (const message of sms.messages) expect(log.includes(message.code)).toBe(false);
    const line = log.split('\n').find((entry) => entry.includes(phone));
    expect(line).toBeUndefined();
  });
});

describe('tenant MFA policy', () => {
  it('holds back tokens until a factor is enrolled', async () => {
    const result = await login(ids.policy, 'paula@policy.test');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      accessToken: null,
      refreshToken: null,
      mfaRequired: true,
      mfaEnrolmentRequired: true,
      mfaMethods: [],
    });

    const verify = await call('verify-mfa', 'verifyMfa', {
      mfaToken: result.body.mfaToken,
      code: '123456',
    });
    expectError(verify, 403, 'mfa-enrolment-required');
    expect(verify.body.message).toContain('Enrol one with "enableMfa" and "confirmMfa"');
  });

  it('completes the sign-in when the enrolment is confirmed', async () => {
    const challenge = await login(ids.policy, 'pia@policy.test');
    const mfaToken = challenge.body.mfaToken;
    const enabled = await call('enable-mfa', 'enableMfa', { type: 'totp', mfaToken });
    expect(enabled.status).toBe(200);
    const secret = base32Decode(String(enabled.body.secret));
    const code = hotp(secret, totpStep(Date.now() / 1000));
    const confirmed = await call('confirm-mfa', 'confirmMfa', { code, mfaToken });

    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    const loginResult = confirmed.body.login as Body;
    expect(typeof loginResult.accessToken).toBe('string');
    expect(loginResult.user).toMatchObject({ id: ids.pia, roles: ['user', 'tenant_admin'] });

    const again = await call('confirm-mfa', 'confirmMfa', { code, mfaToken });
    expectError(again, 400, 'invalid-mfa-token');
    const next = await login(ids.policy, 'pia@policy.test');
    expect(next.body).toMatchObject({ mfaRequired: true, mfaEnrolmentRequired: false });
  });

  it('lets roles outside the policy sign in directly', async () => {
    const result = await login(ids.policy, 'peter@policy.test');
    expect(result.body.mfaRequired).toBe(false);
    expect(typeof result.body.accessToken).toBe('string');
  });

  it('keeps enrolment tokens out of other accounts', async () => {
    const challenge = await login(ids.policy, 'paula@policy.test');
    const result = await call('enable-mfa', 'enableMfa', {
      type: 'totp',
      mfaToken: 'forged-token',
    });
    expectError(result, 400, 'invalid-mfa-token');
    expect(challenge.body.mfaEnrolmentRequired).toBe(true);
  });
});

describe('MFA without encryption keys', () => {
  it('answers mfa-unavailable', async () => {
    const bare = await startTestServer(database.url);
    try {
      const { session } = await signIn(bare, ids.tenant, 'sue@sms.test');
      const response = await callAs(bare, 'enable-mfa', 'enableMfa', { type: 'totp' }, session);
      const body = (await response.json()) as Body;
      expect(body.extensions).toEqual({ code: 'mfa-unavailable' });
      expect(body.message).toBe(
        'Second factors are not available because the server has no ACCI_ENCRYPTION_KEYS. ' +
          'Ask the operator to set it.',
      );
    } finally {
      await bare.close();
    }
  });
});
