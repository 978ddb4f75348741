import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Platform, startPlatform } from '../../scripts/lib/platform.js';
import { platformConfigFromEnv } from '../../scripts/lib/platform-config.js';
import { createTestDatabase, type TestDatabase } from '../harness/db.js';

// Each case signs in through the engine, proves that the token reads and writes, ends the
// session, the user or the tenant, and checks that the same still-valid token reads and
// writes nothing on the very next request.

const demoPassword = 'Demo-Passw0rd-revocation';
const usersQuery = '{ users { id } }';
const renameMutation = `
  mutation Rename($id: uuid!) {
    update_users(where: {id: {_eq: $id}}, _set: {first_name: "Renamed"}) { affected_rows }
  }`;

interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  user: { id: string; tenantId: string };
}

let platform: Platform;
let database: TestDatabase;
let client: pg.Client;
let dataDir: string;

async function post(path: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${platform.urls.engine}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
}

async function graphql(query: string, variables: object, token?: string): Promise<GraphqlResponse> {
  const response = await post('/v1/graphql', { query, variables }, token);
  expect(response.status).toBe(200);
  return (await response.json()) as GraphqlResponse;
}

async function signIn(tenantId: string, email: string): Promise<Tokens> {
  const response = await post('/api/rest/auth/login', { tenantId, email, password: demoPassword });
  const body = (await response.json()) as { login?: Tokens };
  if (body.login === undefined) throw new Error(`Sign-in failed: ${JSON.stringify(body)}`);
  return body.login;
}

/** Returns the number of users the token reads and the rows its rename of itself changes. */
async function access(tokens: Tokens): Promise<{ read: number; written: number }> {
  const read = await graphql(usersQuery, {}, tokens.accessToken);
  expect(read.errors).toBeUndefined();
  const write = await graphql(renameMutation, { id: tokens.user.id }, tokens.accessToken);
  expect(write.errors).toBeUndefined();
  const users = (read.data?.users ?? []) as unknown[];
  const update = write.data?.update_users as { affected_rows: number } | undefined;
  return { read: users.length, written: update?.affected_rows ?? -1 };
}

/** Checks that a live token reads at least its own user row and renames itself. */
function expectAccess(result: { read: number; written: number }): void {
  expect(result.read).toBeGreaterThan(0);
  expect(result.written).toBe(1);
}

beforeAll(async () => {
  database = await createTestDatabase('e2e-revocation', { migrated: false });
  dataDir = await mkdtemp(join(tmpdir(), 'acci-revocation-'));
  platform = await startPlatform(
    platformConfigFromEnv({
      ACCI_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      ACCI_ADMIN_PASSWORD: demoPassword,
      ACCI_POSTGRES_PORT: '0',
      HASURA_GRAPHQL_SERVER_PORT: '0',
      ACTIONS_PORT: '0',
      ACCI_WEB: 'false',
    }),
    () => {},
  );
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
}, 60_000);

afterAll(async () => {
  await client?.end();
  await platform?.stop();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('revocation through the engine', () => {
  it('refreshes and logs out over REST', async () => {
    const tokens = await signIn('demo.test', 'alice@demo.test');
    const refreshed = await post('/api/rest/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { refreshToken: { accessToken: string } };
    const fresh = { ...tokens, accessToken: body.refreshToken.accessToken };
    expectAccess(await access(fresh));

    const logout = await post('/api/rest/auth/logout', {}, fresh.accessToken);
    expect(logout.status).toBe(200);
    expect(await logout.json()).toEqual({ logout: { revokedSessions: 1 } });
    expect(await access(fresh)).toEqual({ read: 0, written: 0 });
    expect(await access(tokens)).toEqual({ read: 0, written: 0 });
  });

  it('stops a token after the user is deactivated', async () => {
    const tokens = await signIn('demo.test', 'bob@demo.test');
    expectAccess(await access(tokens));
    await client.query(`UPDATE users SET status = 'inactive' WHERE id = $1`, [tokens.user.id]);
    expect(await access(tokens)).toEqual({ read: 0, written: 0 });
  });

  it('stops a token after the tenant is suspended', async () => {
    const tokens = await signIn('acme.test', 'carol@acme.test');
    expectAccess(await access(tokens));
    await client.query(`UPDATE tenants SET status = 'suspended' WHERE id = $1`, [
      tokens.user.tenantId,
    ]);
    expect(await access(tokens)).toEqual({ read: 0, written: 0 });
  });

  it('stops an API key token once the key is revoked', async () => {
    const admin = await signIn('demo.test', 'admin@demo.test');
    const created = await graphql(
      'mutation { createApiKey(name: "e2e", roles: ["user"]) { id apiKey } }',
      {},
      admin.accessToken,
    );
    expect(created.errors).toBeUndefined();
    const key = created.data?.createApiKey as { id: string; apiKey: string };
    const exchanged = await graphql(
      'mutation Exchange($key: String!) { exchangeApiKey(apiKey: $key) { accessToken } }',
      { key: key.apiKey },
    );
    expect(exchanged.errors).toBeUndefined();
    const exchange = exchanged.data?.exchangeApiKey as { accessToken: string } | undefined;
    const keyTokens = { ...admin, accessToken: exchange?.accessToken ?? '' };
    expectAccess(await access(keyTokens));

    const revoked = await graphql(
      'mutation Revoke($id: uuid!) { revokeApiKey(id: $id) { revoked } }',
      { id: key.id },
      admin.accessToken,
    );
    expect(revoked.data?.revokeApiKey).toEqual({ revoked: true });
    expect(await access(keyTokens)).toEqual({ read: 0, written: 0 });
    expectAccess(await access(admin));
  });

  it('lists the caller sessions through a query action', async () => {
    const tokens = await signIn('demo.test', 'admin@demo.test');
    const result = await graphql('{ mySessions { id current } }', {}, tokens.accessToken);
    expect(result.errors).toBeUndefined();
    const sessions = result.data?.mySessions as Array<{ current: boolean }>;
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
  });
});
