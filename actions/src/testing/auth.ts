import { hash } from '@node-rs/argon2';
import { decodeJwt } from 'jose';
import type pg from 'pg';
import { testActionSecret, testPasswordHashing } from './server.js';

/** Password of every user that `seedUser` creates. */
export const seedPassword = 'correct horse battery staple';

let seedHash: Promise<string> | undefined;

/** Inserts an active tenant with the given configuration. */
export async function seedTenant(
  client: pg.Client,
  tenant: { id: string; domain: string; configuration?: unknown; isPlatform?: boolean },
): Promise<void> {
  await client.query(
    `INSERT INTO tenants (id, name, domain, configuration, is_platform) VALUES ($1, $2::text, $2::citext, $3, $4)`,
    [
      tenant.id,
      tenant.domain,
      JSON.stringify(tenant.configuration ?? {}),
      tenant.isPlatform ?? false,
    ],
  );
}

/**
 * Inserts an active user with `seedPassword` and grants the named system roles, creating the
 * role rows of the tenant when needed.
 */
export async function seedUser(
  client: pg.Client,
  user: { id: string; tenantId: string; email: string; roles?: string[] },
): Promise<void> {
  seedHash ??= hash(seedPassword, testPasswordHashing);
  await client.query(
    `INSERT INTO users (id, tenant_id, email, password_hash, first_name, last_name)
     VALUES ($1, $2, $3, $4, 'Test', 'User')`,
    [user.id, user.tenantId, user.email, await seedHash],
  );
  for (const role of user.roles ?? []) {
    await client.query(
      `INSERT INTO roles (tenant_id, name, is_system) VALUES ($1, $2, true)
       ON CONFLICT (tenant_id, name) DO NOTHING`,
      [user.tenantId, role],
    );
    await client.query(
      `INSERT INTO user_roles (tenant_id, user_id, role_id)
       SELECT $1, $2, id FROM roles WHERE tenant_id = $1 AND name = $3`,
      [user.tenantId, user.id, role],
    );
  }
}

/** Session variables that Hasura derives from an access token's claims. */
export function sessionOf(accessToken: string, role?: string): Record<string, string> {
  const claims = decodeJwt(accessToken)['https://hasura.io/jwt/claims'] as Record<string, unknown>;
  return {
    'x-hasura-role': role ?? String(claims['x-hasura-default-role']),
    'x-hasura-user-id': String(claims['x-hasura-user-id']),
    'x-hasura-tenant-id': String(claims['x-hasura-tenant-id']),
    'x-hasura-session-id': String(claims['x-hasura-session-id']),
  };
}

/** Posts an action payload with the given session variables, as Hasura does. */
export function callAs(
  server: { url: string },
  path: string,
  name: string,
  input: Record<string, unknown>,
  sessionVariables: Record<string, string> = { 'x-hasura-role': 'anonymous' },
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${server.url}/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-acci-action-secret': testActionSecret,
      ...headers,
    },
    body: JSON.stringify({ action: { name }, input, session_variables: sessionVariables }),
  });
}

/** Tokens of a successful `login`. */
export interface SignIn {
  accessToken: string;
  refreshToken: string;
  session: Record<string, string>;
}

/** Signs in through the login action and fails the test with the body when it is rejected. */
export async function signIn(
  server: { url: string },
  tenantId: string,
  email: string,
  password = seedPassword,
  headers: Record<string, string> = {},
): Promise<SignIn> {
  const response = await callAs(
    server,
    'login',
    'login',
    { tenantId, email, password },
    undefined,
    headers,
  );
  const body = (await response.json()) as { accessToken?: string; refreshToken?: string };
  if (
    response.status !== 200 ||
    body.accessToken === undefined ||
    body.refreshToken === undefined
  ) {
    throw new Error(`Sign-in of ${email} failed with ${response.status}: ${JSON.stringify(body)}`);
  }
  return {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    session: sessionOf(body.accessToken),
  };
}
