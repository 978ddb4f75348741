import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import { callAs, seedTenant, seedUser, signIn } from '../testing/auth.js';
import { startTestServer, type TestServer } from '../testing/server.js';

const ids = {
  tenant: '11000000-0000-4000-8000-000000000001',
  alice: '21000000-0000-4000-8000-000000000001',
  bob: '21000000-0000-4000-8000-000000000002',
  carol: '21000000-0000-4000-8000-000000000003',
  dave: '21000000-0000-4000-8000-000000000004',
};
const claimsKey = 'https://hasura.io/jwt/claims';

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase('refresh');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedTenant(client, { id: ids.tenant, domain: 'refresh.test' });
  for (const [name, id] of Object.entries(ids).slice(1)) {
    await seedUser(client, { id, tenantId: ids.tenant, email: `${name}@refresh.test` });
  }
  server = await startTestServer(database.url, { REFRESH_REUSE_GRACE_SECONDS: '10' });
});

afterAll(async () => {
  await server?.close();
  await client?.end();
  await database?.drop();
});

async function refresh(token: string) {
  const response = await callAs(server, 'refresh-token', 'refreshToken', { refreshToken: token });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

const rejected = {
  message: 'Invalid, expired or revoked refresh token. Sign in again.',
  extensions: { code: 'invalid-refresh-token' },
};

describe('refreshToken', () => {
  it('rotates the token on every use', async () => {
    const first = await signIn(server, ids.tenant, 'alice@refresh.test');
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.tokenType).toBe('Bearer');
    expect(second.body.expiresIn).toBe(900);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);

    const rows = await client.query(
      `SELECT old.used_at, old.replaced_by, next.id AS next_id
         FROM refresh_tokens old JOIN refresh_tokens next ON next.token_hash = $2
        WHERE old.token_hash = $1`,
      [sha256(first.refreshToken), sha256(String(second.body.refreshToken))],
    );
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].used_at).toBeInstanceOf(Date);
    expect(rows.rows[0].replaced_by).toBe(rows.rows[0].next_id);

    const third = await refresh(String(second.body.refreshToken));
    expect(third.status).toBe(200);
  });

  it('issues a token of the same session with fresh claims', async () => {
    const login = await signIn(server, ids.tenant, 'bob@refresh.test');
    await client.query(
      `INSERT INTO roles (tenant_id, name, is_system) VALUES ($1, 'tenant_admin', true)
       ON CONFLICT DO NOTHING`,
      [ids.tenant],
    );
    await client.query(
      `INSERT INTO user_roles (tenant_id, user_id, role_id)
       SELECT $1, $2, id FROM roles WHERE tenant_id = $1 AND name = 'tenant_admin'`,
      [ids.tenant, ids.bob],
    );
    const result = await refresh(login.refreshToken);
    const claims = decodeJwt(String(result.body.accessToken))[claimsKey] as Record<string, unknown>;
    expect(claims['x-hasura-allowed-roles']).toEqual(['user', 'tenant_admin']);
    expect(claims['x-hasura-default-role']).toBe('tenant_admin');
    expect(claims['x-hasura-session-id']).toBe(login.session['x-hasura-session-id']);
  });

  it('returns the same successor within the grace window', async () => {
    const login = await signIn(server, ids.tenant, 'carol@refresh.test');
    const [one, two] = await Promise.all([
      refresh(login.refreshToken),
      refresh(login.refreshToken),
    ]);
    expect(one.status).toBe(200);
    expect(two.status).toBe(200);
    expect(one.body.refreshToken).toBe(two.body.refreshToken);

    const tokens = await client.query(
      'SELECT count(*)::int AS n FROM refresh_tokens WHERE session_id = $1',
      [login.session['x-hasura-session-id']],
    );
    expect(tokens.rows[0].n).toBe(2);
    expect((await refresh(String(one.body.refreshToken))).status).toBe(200);
  });

  it('keeps colliding refreshes signed in', async () => {
    const login = await signIn(server, ids.tenant, 'carol@refresh.test');
    // Holding the row lock queues both refreshes, so the second waits for the first to commit.
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE', [
      sha256(login.refreshToken),
    ]);
    const pending = Promise.all([refresh(login.refreshToken), refresh(login.refreshToken)]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await client.query('COMMIT');
    const [one, two] = await pending;
    expect(one.status).toBe(200);
    expect(two.status).toBe(200);
    expect(one.body.refreshToken).toBe(two.body.refreshToken);
    const session = await client.query('SELECT revoked_at FROM sessions WHERE id = $1', [
      login.session['x-hasura-session-id'],
    ]);
    expect(session.rows[0].revoked_at).toBeNull();
  });

  it('revokes the session when a rotated token is reused late', async () => {
    const login = await signIn(server, ids.tenant, 'dave@refresh.test');
    const next = await refresh(login.refreshToken);
    await client.query(
      `UPDATE refresh_tokens SET used_at = now() - interval '11 seconds' WHERE token_hash = $1`,
      [sha256(login.refreshToken)],
    );

    const reuse = await refresh(login.refreshToken);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toEqual(rejected);

    const sessionId = login.session['x-hasura-session-id'];
    const session = await client.query('SELECT revoked_reason FROM sessions WHERE id = $1', [
      sessionId,
    ]);
    expect(session.rows[0].revoked_reason).toBe('refresh-token-reuse');
    const audit = await client.query(
      `SELECT actor_user_id, user_agent, host(ip) AS ip FROM audit_events
        WHERE action = 'auth.refresh.reused' AND resource_id = $1`,
      [sessionId],
    );
    expect(audit.rows).toEqual([{ actor_user_id: null, user_agent: 'node', ip: '127.0.0.1' }]);

    const successor = await refresh(String(next.body.refreshToken));
    expect(successor.body).toEqual(rejected);
  });

  it('rejects an unknown token', async () => {
    const result = await refresh('not-a-token');
    expect(result.status).toBe(400);
    expect(result.body).toEqual(rejected);
  });

  it('rejects a token of a deactivated user', async () => {
    const login = await signIn(server, ids.tenant, 'alice@refresh.test');
    await client.query(`UPDATE users SET status = 'inactive' WHERE id = $1`, [ids.alice]);
    try {
      expect((await refresh(login.refreshToken)).body).toEqual(rejected);
    } finally {
      await client.query(`UPDATE users SET status = 'active' WHERE id = $1`, [ids.alice]);
    }
    const line = server.logs().find((entry) => entry.errorCode === 'invalid-refresh-token');
    expect(server.logText()).toContain('user-not-active');
    expect(line).toBeDefined();
  });

  it('rejects a token of a suspended tenant', async () => {
    const login = await signIn(server, ids.tenant, 'alice@refresh.test');
    await client.query(`UPDATE tenants SET status = 'suspended' WHERE id = $1`, [ids.tenant]);
    try {
      expect((await refresh(login.refreshToken)).body).toEqual(rejected);
    } finally {
      await client.query(`UPDATE tenants SET status = 'active' WHERE id = $1`, [ids.tenant]);
    }
  });

  it('rejects a token of a logged-out session', async () => {
    const login = await signIn(server, ids.tenant, 'alice@refresh.test');
    const logout = await callAs(server, 'logout', 'logout', {}, login.session);
    expect(logout.status).toBe(200);
    expect((await refresh(login.refreshToken)).body).toEqual(rejected);
  });

  it('never logs a refresh token', async () => {
    const login = await signIn(server, ids.tenant, 'alice@refresh.test');
    const next = await refresh(login.refreshToken);
    expect(server.logText()).not.toContain(login.refreshToken);
    expect(server.logText()).not.toContain(String(next.body.refreshToken));
  });
});
