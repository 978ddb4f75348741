import { decodeJwt } from 'jose';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import { callAs, seedTenant, seedUser, signIn } from '../testing/auth.js';
import { startTestServer, type TestServer } from '../testing/server.js';

const ids = {
  tenant: '15000000-0000-4000-8000-000000000001',
  admin: '25000000-0000-4000-8000-000000000001',
  alice: '25000000-0000-4000-8000-000000000002',
};
const claimsKey = 'https://hasura.io/jwt/claims';
const invalidKey = {
  message: 'Invalid, expired or revoked API key.',
  extensions: { code: 'invalid-api-key' },
};

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase('api-keys');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedTenant(client, { id: ids.tenant, domain: 'keys.test' });
  await seedUser(client, {
    id: ids.admin,
    tenantId: ids.tenant,
    email: 'admin@keys.test',
    roles: ['tenant_admin'],
  });
  await seedUser(client, { id: ids.alice, tenantId: ids.tenant, email: 'alice@keys.test' });
  server = await startTestServer(database.url, { API_KEY_TOKEN_TTL_SECONDS: '120' });
});

afterAll(async () => {
  await server?.close();
  await client?.end();
  await database?.drop();
});

async function call(path: string, name: string, input: object, session?: Record<string, string>) {
  const response = await callAs(server, path, name, { ...input }, session);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function createKey(session: Record<string, string>, roles: string[], expiresAt?: string) {
  return call('create-api-key', 'createApiKey', { name: 'ci deploy', roles, expiresAt }, session);
}

describe('API keys', () => {
  it('creates a key shown once and stores only its hash', async () => {
    const admin = await signIn(server, ids.tenant, 'admin@keys.test');
    const created = await createKey(admin.session, ['tenant_admin']);
    expect(created.status).toBe(200);
    const apiKey = String(created.body.apiKey);
    const id = String(created.body.id);
    expect(apiKey).toMatch(new RegExp(`^acci_${id.replaceAll('-', '')}_[A-Za-z0-9_-]{43}$`));
    expect(created.body).toMatchObject({
      name: 'ci deploy',
      roles: ['tenant_admin'],
      expiresAt: null,
    });

    const stored = await client.query(
      `SELECT k.secret_hash, s.kind, s.expires_at = 'infinity' AS endless
         FROM api_keys k JOIN sessions s ON s.id = k.session_id WHERE k.id = $1`,
      [id],
    );
    expect(stored.rows[0].kind).toBe('api-key');
    expect(stored.rows[0].endless).toBe(true);
    expect(stored.rows[0].secret_hash.toString('utf8')).not.toContain(apiKey.slice(-43));
    expect(server.logText()).not.toContain(apiKey);

    const list = await call('list-api-keys', 'listApiKeys', {}, admin.session);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({ id, prefix: `acci_${id.replaceAll('-', '')}_`, revokedAt: null }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(apiKey);
  });

  it('exchanges a key for a token with its roles', async () => {
    const admin = await signIn(server, ids.tenant, 'admin@keys.test');
    const created = await createKey(admin.session, ['user']);
    const exchanged = await call('exchange-api-key', 'exchangeApiKey', {
      apiKey: created.body.apiKey,
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body).toMatchObject({ expiresIn: 120, tokenType: 'Bearer' });
    const token = decodeJwt(String(exchanged.body.accessToken));
    const claims = token[claimsKey] as Record<string, unknown>;
    expect(claims['x-hasura-allowed-roles']).toEqual(['user']);
    expect(claims['x-hasura-user-id']).toBe(ids.admin);
    expect((token.exp ?? 0) - (token.iat ?? 0)).toBe(120);
    const session = await client.query(
      'SELECT session_id, last_used_at FROM api_keys WHERE id = $1',
      [created.body.id],
    );
    expect(claims['x-hasura-session-id']).toBe(session.rows[0].session_id);
    expect(session.rows[0].last_used_at).toBeInstanceOf(Date);
  });

  it('rejects roles the creator does not hold', async () => {
    const alice = await signIn(server, ids.tenant, 'alice@keys.test');
    const created = await createKey(alice.session, ['user', 'tenant_admin']);
    expect(created).toEqual({
      status: 403,
      body: {
        message: 'An API key may only carry roles you hold (user), not "tenant_admin".',
        extensions: { code: 'access-denied' },
      },
    });
  });

  it('rejects an expiry in the past', async () => {
    const alice = await signIn(server, ids.tenant, 'alice@keys.test');
    const created = await createKey(alice.session, ['user'], '2020-01-01T00:00:00Z');
    expect(created.body).toEqual({
      message: '"input.expiresAt" must lie in the future.',
      extensions: { code: 'validation-failed' },
    });
  });

  it('stops exchanging a revoked key and ends its session', async () => {
    const alice = await signIn(server, ids.tenant, 'alice@keys.test');
    const created = await createKey(alice.session, ['user']);
    const revoked = await call(
      'revoke-api-key',
      'revokeApiKey',
      { id: created.body.id },
      alice.session,
    );
    expect(revoked).toEqual({ status: 200, body: { id: created.body.id, revoked: true } });

    const exchanged = await call('exchange-api-key', 'exchangeApiKey', {
      apiKey: created.body.apiKey,
    });
    expect(exchanged).toEqual({ status: 400, body: invalidKey });
    const live = await client.query(
      'SELECT 1 FROM active_sessions a JOIN api_keys k ON k.session_id = a.id WHERE k.id = $1',
      [created.body.id],
    );
    expect(live.rowCount).toBe(0);
    const audit = await client.query(
      `SELECT action FROM audit_events WHERE resource_id = $1 ORDER BY id`,
      [created.body.id],
    );
    expect(audit.rows.map((row) => row.action)).toEqual([
      'auth.api-key.created',
      'auth.api-key.revoked',
    ]);
  });

  it('lets a tenant admin revoke a key of another user', async () => {
    const alice = await signIn(server, ids.tenant, 'alice@keys.test');
    const admin = await signIn(server, ids.tenant, 'admin@keys.test');
    const created = await createKey(alice.session, ['user']);
    const byAdmin = await call(
      'revoke-api-key',
      'revokeApiKey',
      { id: created.body.id },
      admin.session,
    );
    expect(byAdmin.status).toBe(200);

    const other = await createKey(admin.session, ['user']);
    const byAlice = await call(
      'revoke-api-key',
      'revokeApiKey',
      { id: other.body.id },
      alice.session,
    );
    expect(byAlice.status).toBe(404);
    expect(byAlice.body).toMatchObject({ extensions: { code: 'not-found' } });
  });

  it('rejects a key of a deactivated owner', async () => {
    const alice = await signIn(server, ids.tenant, 'alice@keys.test');
    const created = await createKey(alice.session, ['user']);
    await client.query(`UPDATE users SET status = 'inactive' WHERE id = $1`, [ids.alice]);
    try {
      const exchanged = await call('exchange-api-key', 'exchangeApiKey', {
        apiKey: created.body.apiKey,
      });
      expect(exchanged.body).toEqual(invalidKey);
    } finally {
      await client.query(`UPDATE users SET status = 'active' WHERE id = $1`, [ids.alice]);
    }
  });

  it.each([
    ['a malformed key', 'not-a-key'],
    ['an unknown id', `acci_${'0'.repeat(32)}_${'a'.repeat(43)}`],
  ])('rejects %s', async (_case, apiKey) => {
    expect((await call('exchange-api-key', 'exchangeApiKey', { apiKey })).body).toEqual(invalidKey);
  });

  it('rejects a wrong secret', async () => {
    const alice = await signIn(server, ids.tenant, 'alice@keys.test');
    const created = await createKey(alice.session, ['user']);
    const forged = `${String(created.body.apiKey).slice(0, -43)}${'b'.repeat(43)}`;
    expect((await call('exchange-api-key', 'exchangeApiKey', { apiKey: forged })).body).toEqual(
      invalidKey,
    );
  });
});
