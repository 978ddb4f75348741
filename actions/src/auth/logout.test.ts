import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import { callAs, seedTenant, seedUser, signIn } from '../testing/auth.js';
import { startTestServer, type TestServer } from '../testing/server.js';

const ids = {
  tenant: '12000000-0000-4000-8000-000000000001',
  alice: '22000000-0000-4000-8000-000000000001',
  bob: '22000000-0000-4000-8000-000000000002',
};

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase('logout');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedTenant(client, { id: ids.tenant, domain: 'logout.test' });
  await seedUser(client, { id: ids.alice, tenantId: ids.tenant, email: 'alice@logout.test' });
  await seedUser(client, { id: ids.bob, tenantId: ids.tenant, email: 'bob@logout.test' });
  server = await startTestServer(database.url);
});

afterAll(async () => {
  await server?.close();
  await client?.end();
  await database?.drop();
});

async function call(path: string, name: string, input: object, session?: Record<string, string>) {
  const response = await callAs(server, path, name, { ...input }, session);
  return { status: response.status, body: (await response.json()) as unknown };
}

async function revokedReason(sessionId: string | undefined): Promise<string | null> {
  const result = await client.query('SELECT revoked_reason FROM sessions WHERE id = $1', [
    sessionId,
  ]);
  return result.rows[0]?.revoked_reason ?? null;
}

describe('logout', () => {
  it('revokes the current session only', async () => {
    const one = await signIn(server, ids.tenant, 'alice@logout.test');
    const two = await signIn(server, ids.tenant, 'alice@logout.test');
    const result = await call('logout', 'logout', {}, one.session);
    expect(result).toEqual({ status: 200, body: { revokedSessions: 1 } });
    expect(await revokedReason(one.session['x-hasura-session-id'])).toBe('logout');
    expect(await revokedReason(two.session['x-hasura-session-id'])).toBeNull();
  });

  it('answers a repeated logout with zero', async () => {
    const one = await signIn(server, ids.tenant, 'alice@logout.test');
    await call('logout', 'logout', {}, one.session);
    const again = await call('logout', 'logout', { all: false }, one.session);
    expect(again).toEqual({ status: 200, body: { revokedSessions: 0 } });
  });

  it('revokes every session of the user with all', async () => {
    await client.query(
      'UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1',
      [ids.alice, 'admin'],
    );
    const one = await signIn(server, ids.tenant, 'alice@logout.test');
    await signIn(server, ids.tenant, 'alice@logout.test');
    const other = await signIn(server, ids.tenant, 'bob@logout.test');
    const result = await call('logout', 'logout', { all: true }, one.session);
    expect(result).toEqual({ status: 200, body: { revokedSessions: 2 } });
    expect(await revokedReason(one.session['x-hasura-session-id'])).toBe('logout-all');
    expect(await revokedReason(other.session['x-hasura-session-id'])).toBeNull();

    const audit = await client.query(
      `SELECT actor_user_id, after FROM audit_events WHERE action = 'auth.logout' AND resource_id = $1`,
      [one.session['x-hasura-session-id']],
    );
    expect(audit.rows).toEqual([
      { actor_user_id: ids.alice, after: { all: true, revokedSessions: 2 } },
    ]);
  });

  it('rejects all from an ended session', async () => {
    const stale = await signIn(server, ids.tenant, 'bob@logout.test');
    const live = await signIn(server, ids.tenant, 'bob@logout.test');
    await call('logout', 'logout', {}, stale.session);
    const result = await call('logout', 'logout', { all: true }, stale.session);
    expect(result.status).toBe(403);
    expect(result.body).toMatchObject({ extensions: { code: 'access-denied' } });
    expect(await revokedReason(live.session['x-hasura-session-id'])).toBeNull();
  });

  it('rejects the anonymous role', async () => {
    const result = await call('logout', 'logout', {});
    expect(result.status).toBe(403);
    expect(result.body).toEqual({
      message:
        'The role "anonymous" has no signed-in session: the action needs the session variables ' +
        '"x-hasura-user-id", "x-hasura-tenant-id" and "x-hasura-session-id". Sign in first.',
      extensions: { code: 'access-denied' },
    });
  });

  it('rejects a non-boolean all', async () => {
    const one = await signIn(server, ids.tenant, 'alice@logout.test');
    const result = await call('logout', 'logout', { all: 'yes' }, one.session);
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      message: 'Invalid "logout" input: "input.all" must be a boolean.',
      extensions: { code: 'validation-failed' },
    });
  });
});

describe('mySessions', () => {
  it('lists live sessions and marks the current one', async () => {
    await client.query(
      'UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1',
      [ids.bob, 'admin'],
    );
    const one = await signIn(server, ids.tenant, 'bob@logout.test', undefined, {
      'user-agent': 'browser-one',
    });
    const two = await signIn(server, ids.tenant, 'bob@logout.test');
    const result = await call('my-sessions', 'mySessions', {}, two.session);
    expect(result.status).toBe(200);
    const sessions = result.body as Array<Record<string, unknown>>;
    expect(sessions.map((session) => session.id)).toEqual([
      two.session['x-hasura-session-id'],
      one.session['x-hasura-session-id'],
    ]);
    expect(sessions[1]).toMatchObject({
      userAgent: 'browser-one',
      ip: '127.0.0.1',
      current: false,
    });
    expect(sessions[0]?.current).toBe(true);
    expect(typeof sessions[0]?.createdAt).toBe('string');
  });

  it('rejects a revoked session', async () => {
    const one = await signIn(server, ids.tenant, 'bob@logout.test');
    await call('logout', 'logout', {}, one.session);
    const result = await call('my-sessions', 'mySessions', {}, one.session);
    expect(result.status).toBe(403);
    expect(result.body).toMatchObject({ extensions: { code: 'access-denied' } });
  });
});

describe('revokeSession', () => {
  it('ends another session of the caller', async () => {
    const one = await signIn(server, ids.tenant, 'bob@logout.test');
    const two = await signIn(server, ids.tenant, 'bob@logout.test');
    const target = two.session['x-hasura-session-id'];
    const result = await call(
      'revoke-session',
      'revokeSession',
      { sessionId: target },
      one.session,
    );
    expect(result).toEqual({ status: 200, body: { sessionId: target, revoked: true } });
    expect(await revokedReason(target)).toBe('revoked');
  });

  it('answers not-found for a session of another user', async () => {
    const bob = await signIn(server, ids.tenant, 'bob@logout.test');
    const alice = await signIn(server, ids.tenant, 'alice@logout.test');
    const target = alice.session['x-hasura-session-id'];
    const result = await call(
      'revoke-session',
      'revokeSession',
      { sessionId: target },
      bob.session,
    );
    expect(result.status).toBe(404);
    expect(result.body).toEqual({
      message: `No live session "${target}" of yours exists. List them with mySessions.`,
      extensions: { code: 'not-found' },
    });
    expect(await revokedReason(target)).toBeNull();
  });

  it('rejects a session id that is not a UUID', async () => {
    const bob = await signIn(server, ids.tenant, 'bob@logout.test');
    const result = await call('revoke-session', 'revokeSession', { sessionId: 'x' }, bob.session);
    expect(result.body).toEqual({
      message: 'Invalid "revokeSession" input: "input.sessionId" must be a UUID.',
      extensions: { code: 'validation-failed' },
    });
  });
});
