import { hash } from '@node-rs/argon2';
import type pg from 'pg';
import { testActionSecret, testPasswordHashing } from '../testing/server.js';

export const ids = {
  platform: '40000000-0000-4000-8000-000000000001',
  customer: '40000000-0000-4000-8000-000000000002',
  other: '40000000-0000-4000-8000-000000000003',
  root: '41000000-0000-4000-8000-000000000001',
  admin: '41000000-0000-4000-8000-000000000002',
  member: '41000000-0000-4000-8000-000000000003',
  rootSession: '42000000-0000-4000-8000-000000000001',
  adminSession: '42000000-0000-4000-8000-000000000002',
  memberSession: '42000000-0000-4000-8000-000000000003',
  endedSession: '42000000-0000-4000-8000-000000000004',
};
export const password = 'Tenancy-Passw0rd-1234';

export type Session = Record<string, string>;

export function session(
  role: string,
  userId: string,
  tenantId: string,
  sessionId: string,
): Session {
  return {
    'x-hasura-role': role,
    'x-hasura-user-id': userId,
    'x-hasura-tenant-id': tenantId,
    'x-hasura-session-id': sessionId,
  };
}

export const root = session('platform_admin', ids.root, ids.platform, ids.rootSession);
export const tenantAdmin = session('tenant_admin', ids.admin, ids.customer, ids.adminSession);
export const member = session('user', ids.member, ids.customer, ids.memberSession);

export interface ActionReply {
  status: number;
  body: Record<string, unknown> & { message?: string; extensions?: { code?: string } };
}

/** Posts an action payload as Hasura does, with the caller's session variables. */
export async function act(
  server: { url: string },
  path: string,
  name: string,
  input: Record<string, unknown>,
  variables: Session,
): Promise<ActionReply> {
  const response = await fetch(`${server.url}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-acci-action-secret': testActionSecret },
    body: JSON.stringify({ action: { name }, input, session_variables: variables }),
  });
  return { status: response.status, body: (await response.json()) as ActionReply['body'] };
}

export function expectError(reply: ActionReply, status: number, code: string, message: string) {
  expect(reply.status).toBe(status);
  expect(reply.body.extensions?.code).toBe(code);
  expect(reply.body.message).toBe(message);
}

/** Inserts a platform tenant, a customer tenant and another, with users and sessions. */
export async function seedTenants(client: pg.Client): Promise<void> {
  const passwordHash = await hash(password, testPasswordHashing);
  await client.query(
    `INSERT INTO tenants (id, name, domain, plan, is_platform) VALUES
       ($1, 'Platform', 'platform.test', 'platform', true),
       ($2, 'Customer', 'customer.test', 'standard', false),
       ($3, 'Other', 'other.test', 'free', false)`,
    [ids.platform, ids.customer, ids.other],
  );
  await client.query(
    `INSERT INTO users (id, tenant_id, email, password_hash) VALUES
       ($1, $4, 'root@platform.test', $5), ($2, $6, 'admin@customer.test', $5),
       ($3, $6, 'member@customer.test', $5)`,
    [ids.root, ids.admin, ids.member, ids.platform, passwordHash, ids.customer],
  );
  await client.query(
    `INSERT INTO sessions (id, tenant_id, user_id, expires_at, revoked_at) VALUES
       ($1, $5, $6, now() + interval '1 hour', NULL),
       ($2, $7, $8, now() + interval '1 hour', NULL),
       ($3, $7, $9, now() + interval '1 hour', NULL),
       ($4, $5, $6, now() + interval '1 hour', now())`,
    [
      ids.rootSession,
      ids.adminSession,
      ids.memberSession,
      ids.endedSession,
      ids.platform,
      ids.root,
      ids.customer,
      ids.admin,
      ids.member,
    ],
  );
  // The permission rules and actions check that a session still has its role.
  await client.query(
    `WITH granted AS (
       INSERT INTO roles (tenant_id, name, is_system) VALUES
         ($1, 'platform_admin', true), ($2, 'tenant_admin', true)
       RETURNING id, tenant_id)
     INSERT INTO user_roles (tenant_id, user_id, role_id)
     SELECT tenant_id, CASE WHEN tenant_id = $1 THEN $3::uuid ELSE $4::uuid END, id FROM granted`,
    [ids.platform, ids.customer, ids.root, ids.admin],
  );
}
