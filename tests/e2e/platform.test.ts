import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import pg from 'pg';
import { type Platform, startPlatform } from '../../scripts/lib/platform.js';
import { platformConfigFromEnv } from '../../scripts/lib/platform-config.js';
import { createTestDatabase, type TestDatabase } from '../harness/db.js';

const demoPassword = 'Demo-Passw0rd-e2e';
const loginMutation = `
  mutation Login($tenantId: String!, $email: String!, $password: String!) {
    login(tenantId: $tenantId, email: $email, password: $password) {
      accessToken refreshToken expiresIn tokenType mfaRequired
      user { id tenantId email roles }
    }
  }`;
const usersQuery = '{ users(order_by: {email: asc}) { id tenant_id email } }';

interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string; path?: string } }>;
}

let platform: Platform;
let database: TestDatabase;
let dataDir: string;

async function graphql(
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphqlResponse> {
  const response = await fetch(platform.urls.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as GraphqlResponse;
}

async function signIn(tenantId: string, email: string, password = demoPassword) {
  const result = await graphql(loginMutation, { tenantId, email, password });
  const login = result.data?.login as
    | { accessToken: string; user: { tenantId: string } }
    | undefined;
  if (login === undefined) throw new Error(`Sign-in failed: ${JSON.stringify(result)}`);
  return login;
}

async function usersWith(token: string): Promise<GraphqlResponse> {
  return graphql(usersQuery, {}, { authorization: `Bearer ${token}` });
}

function tenantIdsOf(result: GraphqlResponse): string[] {
  const users = (result.data?.users ?? []) as Array<{ tenant_id: string }>;
  return [...new Set(users.map((user) => user.tenant_id))];
}

beforeAll(async () => {
  database = await createTestDatabase('e2e-platform', { migrated: false });
  dataDir = await mkdtemp(join(tmpdir(), 'acci-e2e-'));
  const config = platformConfigFromEnv({
    ACCI_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    ACCI_ADMIN_PASSWORD: demoPassword,
    ACCI_POSTGRES_PORT: '0',
    HASURA_GRAPHQL_SERVER_PORT: '0',
    ACTIONS_PORT: '0',
    ACCI_WEB: 'false',
  });
  platform = await startPlatform(config, () => {});
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('platform end to end', () => {
  it('signs in the demo tenant admin through the login action', async () => {
    const result = await graphql(loginMutation, {
      tenantId: 'demo.test',
      email: 'admin@demo.test',
      password: demoPassword,
    });
    expect(result.errors).toBeUndefined();
    const login = result.data?.login as Record<string, unknown>;
    expect(login.tokenType).toBe('Bearer');
    expect(login.mfaRequired).toBe(false);
    expect(typeof login.accessToken).toBe('string');
    expect(typeof login.refreshToken).toBe('string');
    expect(login.user).toMatchObject({ email: 'admin@demo.test' });
    expect((login.user as { roles: string[] }).roles).toEqual(
      expect.arrayContaining(['user', 'tenant_admin']),
    );
  });

  it('lists only the users of the caller tenant', async () => {
    const demo = await signIn('demo.test', 'admin@demo.test');
    const demoUsers = await usersWith(demo.accessToken);
    expect(demoUsers.errors).toBeUndefined();
    expect(tenantIdsOf(demoUsers)).toEqual([demo.user.tenantId]);
    const emails = ((demoUsers.data?.users ?? []) as Array<{ email: string }>).map(
      (user) => user.email,
    );
    expect(emails).toEqual(['admin@demo.test', 'alice@demo.test', 'bob@demo.test']);

    const acme = await signIn('acme.test', 'admin@acme.test');
    const acmeUsers = await usersWith(acme.accessToken);
    expect(tenantIdsOf(acmeUsers)).toEqual([acme.user.tenantId]);
    expect(acme.user.tenantId).not.toBe(demo.user.tenantId);
  });

  it('gives a request without a token the anonymous role', async () => {
    const result = await graphql(usersQuery);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('validation-failed');
    expect(result.errors?.[0]?.message).toBe("field 'users' not found in type: 'query_root'");
  });

  it('rejects a tampered token with invalid-jwt', async () => {
    const { accessToken } = await signIn('demo.test', 'admin@demo.test');
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    claims['https://hasura.io/jwt/claims']['x-hasura-tenant-id'] =
      '00000000-0000-4000-8000-000000000003';
    const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const result = await usersWith(`${header}.${forged}.${signature}`);
    expect(result.errors?.[0]?.extensions?.code).toBe('invalid-jwt');
    expect(result.data ?? null).toBeNull();
  });

  it('rejects an expired token with invalid-jwt', async () => {
    const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8'));
    const key = await importPKCS8(secrets.jwtPrivateKey, 'RS256');
    const { accessToken } = await signIn('demo.test', 'admin@demo.test');
    const header = JSON.parse(Buffer.from(accessToken.split('.')[0] ?? '', 'base64url').toString());
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ...claims, iat: now - 7200, exp: now - 3600 })
      .setProtectedHeader({ alg: 'RS256', kid: header.kid })
      .sign(key);
    const result = await usersWith(expired);
    expect(result.errors?.[0]?.extensions?.code).toBe('invalid-jwt');
    expect(result.errors?.[0]?.message).toMatch(/JWTExpired/);
  });

  it('answers every failed sign-in with the same error', async () => {
    const attempts = [
      { tenantId: 'demo.test', email: 'admin@demo.test', password: 'wrong-password' },
      { tenantId: 'demo.test', email: 'nobody@demo.test', password: demoPassword },
      { tenantId: 'unknown.test', email: 'admin@demo.test', password: demoPassword },
      { tenantId: 'acme.test', email: 'dave@acme.test', password: demoPassword },
    ];
    const bodies = [];
    for (const attempt of attempts) bodies.push(await graphql(loginMutation, attempt));
    for (const body of bodies) {
      expect(body.errors?.[0]?.extensions?.code).toBe('invalid-credentials');
      expect(body.data ?? null).toBeNull();
    }
    const messages = new Set(bodies.map((body) => body.errors?.[0]?.message));
    expect(messages.size).toBe(1);
  });

  it('signs in and lists users over REST', async () => {
    const login = await fetch(`${platform.urls.engine}/api/rest/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenantId: 'acme.test',
        email: 'admin@acme.test',
        password: demoPassword,
      }),
    });
    expect(login.status).toBe(200);
    const body = (await login.json()) as {
      login: { accessToken: string; user: { tenantId: string } };
    };
    const users = await fetch(`${platform.urls.engine}/api/rest/users?limit=2`, {
      headers: { authorization: `Bearer ${body.login.accessToken}` },
    });
    expect(users.status).toBe(200);
    const list = (await users.json()) as { users: Array<{ tenant_id: string }> };
    expect(list.users).toHaveLength(2);
    expect(new Set(list.users.map((user) => user.tenant_id))).toEqual(
      new Set([body.login.user.tenantId]),
    );
  });

  it('stops honouring a token once its session is revoked', async () => {
    const { accessToken } = await signIn('demo.test', 'alice@demo.test');
    expect((await usersWith(accessToken)).data?.users).toHaveLength(3);

    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString());
    const sessionId = claims['https://hasura.io/jwt/claims']['x-hasura-session-id'];
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      "UPDATE sessions SET revoked_at = now(), revoked_reason = 'logout' WHERE id = $1",
      [sessionId],
    );
    await client.end();

    const after = await usersWith(accessToken);
    expect(after.errors).toBeUndefined();
    expect(after.data?.users).toEqual([]);
  });

  it('answers a malformed JSON body with HTTP 400', async () => {
    const response = await fetch(platform.urls.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphqlResponse;
    expect(body.errors?.[0]?.extensions?.code).toBe('invalid-json');
    expect(body.errors?.[0]?.message).toMatch(/not a valid json value/);
  });
});
