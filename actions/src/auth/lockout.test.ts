import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import { serviceUrl } from '../../../tests/harness/services.js';
import { callAs, seedPassword, seedTenant, seedUser } from '../testing/auth.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { startTestSmtpServer, type TestSmtpServer } from '../testing/smtp.js';

const ids = {
  tenant: '14000000-0000-4000-8000-000000000001',
  alice: '24000000-0000-4000-8000-000000000001',
  bob: '24000000-0000-4000-8000-000000000002',
};
const lockout = { maxFailures: 3, windowSeconds: 60, durationSeconds: 60 };
const invalidCredentials = {
  message: 'Invalid tenant, email or password.',
  extensions: { code: 'invalid-credentials' },
};

let database: TestDatabase;
let client: pg.Client;
let smtp: TestSmtpServer;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase('lockout');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedTenant(client, {
    id: ids.tenant,
    domain: 'lock.test',
    configuration: { security: { lockout } },
  });
  await seedUser(client, { id: ids.alice, tenantId: ids.tenant, email: 'alice@lock.test' });
  await seedUser(client, { id: ids.bob, tenantId: ids.tenant, email: 'bob@lock.test' });
  smtp = await startTestSmtpServer();
  server = await startTestServer(database.url, {
    REDIS_URL: serviceUrl('redis'),
    REDIS_KEY_PREFIX: `test:lockout:${randomBytes(4).toString('hex')}:`,
    SMTP_URL: smtp.url,
    AUTH_RATE_LIMIT_PER_IP: '25',
    AUTH_RATE_LIMIT_PER_ACCOUNT: '8',
  });
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await client?.end();
  await database?.drop();
});

async function login(email: string, password: string, ip = '198.51.100.1') {
  const response = await callAs(
    server,
    'login',
    'login',
    { tenantId: 'lock.test', email, password },
    undefined,
    { 'x-forwarded-for': ip },
  );
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('lockout', () => {
  it('locks an account after the tenant limit of failures', async () => {
    for (let attempt = 1; attempt <= lockout.maxFailures; attempt++) {
      expect(await login('alice@lock.test', 'wrong')).toEqual({
        status: 400,
        body: invalidCredentials,
      });
    }
    const correct = await login('alice@lock.test', seedPassword);
    expect(correct).toEqual({ status: 400, body: invalidCredentials });

    const reasons = server
      .logs()
      .filter((line) => line.errorCode === 'invalid-credentials')
      .map((line) => line.error);
    expect(reasons.at(-1)).toBe('Sign-in rejected: account-locked.');

    const mail = await smtp.waitForMail('alice@lock.test');
    expect(mail.subject).toBe('Your ACCI account was locked');
    expect(mail.text).toContain('failed 3 times in a row, so it is locked for 1 minute');

    const audit = await client.query(
      `SELECT resource_id, after, host(ip) AS ip FROM audit_events WHERE action = 'auth.lockout'`,
    );
    expect(audit.rows).toEqual([
      { resource_id: ids.alice, after: { failures: 3, lockSeconds: 60 }, ip: '198.51.100.1' },
    ]);
  });

  it('locks an unknown email the same way', async () => {
    for (let attempt = 1; attempt <= lockout.maxFailures + 1; attempt++) {
      expect(await login('ghost@lock.test', 'wrong', '198.51.100.2')).toEqual({
        status: 400,
        body: invalidCredentials,
      });
    }
    expect(smtp.mailTo('ghost@lock.test')).toEqual([]);
  });

  it('forgets failures after a successful sign-in', async () => {
    for (let round = 0; round < 2; round++) {
      for (let attempt = 1; attempt < lockout.maxFailures; attempt++) {
        await login('bob@lock.test', 'wrong', '198.51.100.3');
      }
      expect((await login('bob@lock.test', seedPassword, '198.51.100.3')).status).toBe(200);
    }
  });
});

describe('rate limits', () => {
  it('answers too-many-requests past the per-account limit', async () => {
    const results = [];
    for (let attempt = 0; attempt < 9; attempt++) {
      results.push(await login('carol@lock.test', 'wrong', `198.51.100.${10 + attempt}`));
    }
    expect(results.slice(0, 8).every((result) => result.status === 400)).toBe(true);
    expect(results[8]).toEqual({
      status: 429,
      body: {
        message: 'Too many requests. Wait a few minutes, then try again.',
        extensions: { code: 'too-many-requests' },
      },
    });
  });

  it('answers too-many-requests past the per-address limit', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 26; attempt++) {
      statuses.push((await login(`user${attempt}@lock.test`, 'wrong', '203.0.113.7')).status);
    }
    expect(statuses.slice(0, 25).every((status) => status === 400)).toBe(true);
    expect(statuses[25]).toBe(429);
  });
});
