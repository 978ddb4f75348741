import { createHash } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import pg, { type QueryResultRow } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import {
  callAction,
  startTestServer,
  type TestServer,
  testPasswordHashing,
} from '../testing/server.js';

const ids = {
  tenant: '10000000-0000-4000-8000-000000000001',
  suspended: '10000000-0000-4000-8000-000000000002',
  trialEnded: '10000000-0000-4000-8000-000000000003',
  trialRunning: '10000000-0000-4000-8000-000000000004',
  platform: '10000000-0000-4000-8000-000000000005',
  alice: '20000000-0000-4000-8000-000000000001',
  bob: '20000000-0000-4000-8000-000000000002',
  inactive: '20000000-0000-4000-8000-000000000003',
  locked: '20000000-0000-4000-8000-000000000004',
  noPassword: '20000000-0000-4000-8000-000000000005',
  suspendedUser: '20000000-0000-4000-8000-000000000006',
  trialEndedUser: '20000000-0000-4000-8000-000000000007',
  trialUser: '20000000-0000-4000-8000-000000000008',
  platformAdmin: '20000000-0000-4000-8000-000000000009',
  fakePlatformAdmin: '20000000-0000-4000-8000-00000000000a',
  rehash: '20000000-0000-4000-8000-00000000000b',
};
const password = 'correct horse battery staple';
const invalidCredentials =
  '{"message":"Invalid tenant, email or password.","extensions":{"code":"invalid-credentials"}}';

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;

async function seed(): Promise<void> {
  const passwordHash = await hash(password, testPasswordHashing);
  await client.query(
    `INSERT INTO tenants (id, name, domain, status, trial_ends_at, is_platform) VALUES
       ($1, 'Login', 'login.test', 'active', NULL, false),
       ($2, 'Suspended', 'suspended.test', 'suspended', NULL, false),
       ($3, 'Trial ended', 'ended.test', 'trial', now() - interval '1 day', false),
       ($4, 'Trial running', 'trial.test', 'trial', now() + interval '1 day', false),
       ($5, 'Platform', 'platform.test', 'active', NULL, true)`,
    [ids.tenant, ids.suspended, ids.trialEnded, ids.trialRunning, ids.platform],
  );
  const users: Array<[string, string, string, string, string | null]> = [
    [ids.alice, ids.tenant, 'Alice@Login.test', 'active', passwordHash],
    [ids.bob, ids.tenant, 'bob@login.test', 'active', passwordHash],
    [ids.inactive, ids.tenant, 'inactive@login.test', 'inactive', passwordHash],
    [ids.locked, ids.tenant, 'locked@login.test', 'locked', passwordHash],
    [ids.noPassword, ids.tenant, 'nopassword@login.test', 'active', null],
    [ids.fakePlatformAdmin, ids.tenant, 'fake@login.test', 'active', passwordHash],
    [ids.rehash, ids.tenant, 'rehash@login.test', 'active', null],
    [ids.suspendedUser, ids.suspended, 'user@suspended.test', 'active', passwordHash],
    [ids.trialEndedUser, ids.trialEnded, 'user@ended.test', 'active', passwordHash],
    [ids.trialUser, ids.trialRunning, 'user@trial.test', 'active', passwordHash],
    [ids.platformAdmin, ids.platform, 'root@platform.test', 'active', passwordHash],
  ];
  for (const [id, tenantId, email, status, userHash] of users) {
    await client.query(
      `INSERT INTO users (id, tenant_id, email, status, password_hash, first_name, last_name)
       VALUES ($1, $2, $3, $4, $5, 'First', 'Last')`,
      [id, tenantId, email, status, userHash],
    );
  }
  await grant(ids.tenant, ids.alice, 'tenant_admin');
  await grant(ids.tenant, ids.fakePlatformAdmin, 'platform_admin');
  await grant(ids.platform, ids.platformAdmin, 'platform_admin');
}

async function grant(tenantId: string, userId: string, role: string): Promise<void> {
  await client.query(
    `INSERT INTO roles (tenant_id, name, is_system) VALUES ($1, $2, true)
     ON CONFLICT (tenant_id, name) DO NOTHING`,
    [tenantId, role],
  );
  await client.query(
    `INSERT INTO user_roles (tenant_id, user_id, role_id)
     SELECT $1, $2, id FROM roles WHERE tenant_id = $1 AND name = $3`,
    [tenantId, userId, role],
  );
}

interface LoginBody {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
  mfaRequired: boolean;
  mfaToken: null;
  user: {
    id: string;
    tenantId: string;
    email: string;
    firstName: string;
    lastName: string;
    roles: string[];
  };
}

async function login(
  tenantId: string,
  email: string,
  secret = password,
  headers: Record<string, string> = {},
): Promise<Response> {
  return callAction(server, 'login', { tenantId, email, password: secret }, headers);
}

async function loginOk(tenantId: string, email: string): Promise<LoginBody> {
  const response = await login(tenantId, email);
  expect(response.status).toBe(200);
  return (await response.json()) as LoginBody;
}

async function verifyAccessToken(token: string) {
  const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(token, jwks, { issuer: 'acci', algorithms: ['RS256'] });
  return payload;
}

/** Waits for the log line of a request, which is written when its response has closed. */
async function requestLine(response: Response): Promise<Record<string, unknown>> {
  const requestId = response.headers.get('x-request-id');
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const line = server
      .logs()
      .find((entry) => entry.requestId === requestId && entry.msg === 'request completed');
    if (line !== undefined) return line;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`No log line for request ${requestId}.`);
}

async function rows<Row extends QueryResultRow>(sql: string, params: unknown[] = []) {
  return (await client.query<Row>(sql, params)).rows;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await rows<{ count: number }>(`SELECT count(*)::int AS count ${sql}`, params);
  return row?.count ?? Number.NaN;
}

async function lastAudit(userId: string, action: string) {
  const [row] = await rows<{ after: Record<string, unknown>; resource_type: string }>(
    `SELECT after, resource_type FROM audit_events
      WHERE action = $2 AND (actor_user_id = $1 OR resource_id = $1::text)
      ORDER BY id DESC LIMIT 1`,
    [userId, action],
  );
  return row;
}

beforeAll(async () => {
  database = await createTestDatabase('actions-login');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seed();
  server = await startTestServer(database.url);
});

afterAll(async () => {
  await server?.close();
  await client?.end();
  await database?.drop();
});

describe('login', () => {
  it('returns tokens and the user', async () => {
    const body = await loginOk(ids.tenant, 'alice@login.test');

    expect(body.tokenType).toBe('Bearer');
    expect(body.expiresIn).toBe(900);
    expect(body.mfaRequired).toBe(false);
    expect(body.mfaToken).toBeNull();
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user).toEqual({
      id: ids.alice,
      tenantId: ids.tenant,
      email: 'Alice@Login.test',
      firstName: 'First',
      lastName: 'Last',
      roles: ['user', 'tenant_admin'],
    });
  });

  it('signs claims that verify against the JWKS', async () => {
    const body = await loginOk(ids.tenant, 'alice@login.test');
    const payload = await verifyAccessToken(body.accessToken);
    const claims = payload['https://hasura.io/jwt/claims'] as Record<string, unknown>;

    expect(payload.sub).toBe(ids.alice);
    expect(payload.iss).toBe('acci');
    expect(payload.aud).toBeUndefined();
    expect(typeof payload.jti).toBe('string');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(900);
    expect(claims['x-hasura-allowed-roles']).toEqual(['user', 'tenant_admin']);
    expect(claims['x-hasura-default-role']).toBe('tenant_admin');
    expect(claims['x-hasura-user-id']).toBe(ids.alice);
    expect(claims['x-hasura-tenant-id']).toBe(ids.tenant);

    const sessionId = claims['x-hasura-session-id'];
    expect(
      await count('FROM sessions WHERE id = $1 AND user_id = $2', [sessionId, ids.alice]),
    ).toBe(1);
    const keys = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(decodeProtectedHeader(body.accessToken).kid).toBe(keys.keys[0]?.kid);
  });

  it('stores the session, refresh hash and audit event', async () => {
    const [before] = await rows<{ now: Date }>('SELECT now() AS now');
    const body = await loginOk(ids.tenant, 'bob@login.test');
    const payload = await verifyAccessToken(body.accessToken);
    const sessionId = (payload['https://hasura.io/jwt/claims'] as Record<string, string>)[
      'x-hasura-session-id'
    ];

    const session = await rows(
      `SELECT tenant_id, user_id, revoked_at,
              expires_at - created_at = interval '30 days' AS thirty_days
         FROM sessions WHERE id = $1`,
      [sessionId],
    );
    expect(session[0]).toEqual({
      tenant_id: ids.tenant,
      user_id: ids.bob,
      revoked_at: null,
      thirty_days: true,
    });

    const digest = createHash('sha256').update(body.refreshToken).digest();
    const tokens = await rows<{
      token_hash: Buffer;
      used_at: Date | null;
      within_session: boolean;
    }>(
      `SELECT r.token_hash, r.used_at, r.expires_at <= s.expires_at AS within_session
         FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.session_id = $1`,
      [sessionId],
    );
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.token_hash.equals(digest)).toBe(true);
    expect(tokens[0]?.used_at).toBeNull();
    expect(tokens[0]?.within_session).toBe(true);

    const [user] = await rows<{ fresh: boolean }>(
      'SELECT last_login_at >= $2 AS fresh FROM users WHERE id = $1',
      [ids.bob, before?.now],
    );
    expect(user?.fresh).toBe(true);

    const audit = await rows(
      `SELECT tenant_id, actor_user_id, resource_type, resource_id FROM audit_events
        WHERE action = 'auth.login.succeeded' AND resource_id = $1`,
      [sessionId],
    );
    expect(audit).toEqual([
      {
        tenant_id: ids.tenant,
        actor_user_id: ids.bob,
        resource_type: 'sessions',
        resource_id: sessionId,
      },
    ]);
  });

  it('records the last forwarded address and user agent', async () => {
    // The first entry is what a client may forge; the last is the hop the GraphQL server saw.
    const body = await (
      await login(ids.tenant, 'bob@login.test', password, {
        'x-forwarded-for': '198.51.100.66, 203.0.113.7',
        'user-agent': `agent-${'x'.repeat(600)}`,
      })
    ).json();
    const payload = await verifyAccessToken((body as LoginBody).accessToken);
    const claims = payload['https://hasura.io/jwt/claims'] as Record<string, string>;

    const session = await rows(
      'SELECT host(ip) AS ip, length(user_agent) AS agent_length FROM sessions WHERE id = $1',
      [claims['x-hasura-session-id']],
    );
    expect(session[0]).toEqual({ ip: '203.0.113.7', agent_length: 512 });
  });

  it('accepts the tenant domain in any case', async () => {
    const body = await loginOk('LOGIN.test', 'BOB@login.TEST');

    expect(body.user.id).toBe(ids.bob);
    expect(body.user.roles).toEqual(['user']);
  });

  it('signs in during a running trial', async () => {
    const body = await loginOk('trial.test', 'user@trial.test');

    expect(body.user.id).toBe(ids.trialUser);
  });

  it('grants platform_admin in the platform tenant', async () => {
    const body = await loginOk(ids.platform, 'root@platform.test');
    const payload = await verifyAccessToken(body.accessToken);
    const claims = payload['https://hasura.io/jwt/claims'] as Record<string, unknown>;

    expect(body.user.roles).toEqual(['user', 'platform_admin']);
    expect(claims['x-hasura-default-role']).toBe('platform_admin');
  });

  it('ignores platform_admin in a customer tenant', async () => {
    const body = await loginOk(ids.tenant, 'fake@login.test');
    const payload = await verifyAccessToken(body.accessToken);
    const claims = payload['https://hasura.io/jwt/claims'] as Record<string, unknown>;

    expect(body.user.roles).toEqual(['user']);
    expect(claims['x-hasura-allowed-roles']).toEqual(['user']);
    expect(claims['x-hasura-default-role']).toBe('user');
  });
});

describe('login rejections', () => {
  const unknownTenant = '10000000-0000-4000-8000-0000000000ff';
  // name, tenant id or domain, email, password, reason in the log
  const cases: Array<[string, string, string, string, string]> = [
    ['unknown tenant id', unknownTenant, 'bob@login.test', password, 'tenant-not-found'],
    ['unknown tenant domain', 'nowhere.test', 'bob@login.test', password, 'tenant-not-found'],
    ['unknown email', ids.tenant, 'nobody@login.test', password, 'user-not-found'],
    ['unknown email by domain', 'login.test', 'nobody@login.test', password, 'user-not-found'],
    ['wrong password', ids.tenant, 'bob@login.test', 'wrong', 'password-mismatch'],
    ['wrong password by domain', 'login.test', 'bob@login.test', 'wrong', 'password-mismatch'],
    ['inactive user', ids.tenant, 'inactive@login.test', password, 'user-not-active'],
    ['locked user', ids.tenant, 'locked@login.test', password, 'user-not-active'],
    ['user without password', ids.tenant, 'nopassword@login.test', password, 'password-not-set'],
    ['suspended tenant', ids.suspended, 'user@suspended.test', password, 'tenant-not-active'],
    ['ended trial', 'ended.test', 'user@ended.test', password, 'tenant-not-active'],
    ['user of another tenant', ids.tenant, 'user@trial.test', password, 'user-not-found'],
  ];

  it.each(cases)('answers %s like any failure', async (_name, tenant, email, secret, reason) => {
    const response = await login(tenant, email, secret);

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.text()).toBe(invalidCredentials);
    const line = await requestLine(response);
    expect(line.errorCode).toBe('invalid-credentials');
    expect(line.error).toContain(reason);
  });

  it('audits failures where the tenant is known', async () => {
    await login(ids.tenant, 'locked@login.test');
    const audit = await lastAudit(ids.locked, 'auth.login.failed');

    expect(audit?.after).toEqual({ reason: 'user-not-active' });
    expect(audit?.resource_type).toBe('users');

    const before = await count('FROM audit_events');
    await login('nowhere.test', 'bob@login.test');
    expect(await count('FROM audit_events')).toBe(before);
  });

  it('creates no session on failure', async () => {
    await login(ids.tenant, 'locked@login.test');
    await login(ids.tenant, 'bob@login.test', 'wrong');

    expect(await count('FROM sessions WHERE user_id = $1', [ids.locked])).toBe(0);
    expect(
      await count(
        'FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE s.user_id = $1',
        [ids.locked],
      ),
    ).toBe(0);
  });

  it('never logs the email or password', async () => {
    await login(ids.tenant, 'bob@login.test', 'a-wrong-secret-9271');
    await login(ids.tenant, 'bob@login.test');
    const text = server.logText();

    expect(text).not.toContain('bob@login.test');
    expect(text).not.toContain('a-wrong-secret-9271');
    expect(text).not.toContain(password);
    expect(text).toContain(ids.bob);
  });

  it('rejects input beyond the limits', async () => {
    const response = await login(ids.tenant, 'bob@login.test', 'x'.repeat(1025));

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: 'Invalid "login" input: "input.password" must contain at most 1024 characters.',
      extensions: { code: 'validation-failed' },
    });
  });

  it('rejects a NUL character in the input', async () => {
    const response = await login('login.test\u0000', 'bob@login.test', 'x');

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message:
        'Invalid "login" input: "input.tenantId" must not contain the NUL character (U+0000).',
      extensions: { code: 'validation-failed' },
    });
  });

  it('rejects missing input fields', async () => {
    const response = await callAction(server, 'login', {});

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message:
        'Invalid "login" input: "input.tenantId" must be a string, "input.email" must be a string, ' +
        '"input.password" must be a string.',
      extensions: { code: 'validation-failed' },
    });
  });

  it('rejects a payload of another action', async () => {
    const wrong = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-acci-action-secret': server.config.actionSecret,
      },
      body: JSON.stringify({ action: { name: 'logout' }, input: {} }),
    });

    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({
      message: 'This endpoint handles the "login" action, not "logout".',
      extensions: { code: 'validation-failed' },
    });
  });
});

describe('login rehash', () => {
  it('upgrades a hash made with other parameters', async () => {
    const oldHash = await hash(password, { memoryCost: 2048, timeCost: 1, parallelism: 1 });
    await client.query('UPDATE users SET password_hash = $2 WHERE id = $1', [ids.rehash, oldHash]);

    await loginOk(ids.tenant, 'rehash@login.test');
    const hashOf = async () =>
      (
        await rows<{ hash: string }>('SELECT password_hash AS hash FROM users WHERE id = $1', [
          ids.rehash,
        ])
      )[0]?.hash;
    const newHash = await hashOf();

    expect(newHash).not.toBe(oldHash);
    expect(newHash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect((await lastAudit(ids.rehash, 'auth.login.succeeded'))?.after).toEqual({
      method: 'password',
      passwordRehashed: true,
    });

    await loginOk(ids.tenant, 'rehash@login.test');
    expect(await hashOf()).toBe(newHash);
    expect((await lastAudit(ids.rehash, 'auth.login.succeeded'))?.after).toEqual({
      method: 'password',
      passwordRehashed: false,
    });
  });
});
