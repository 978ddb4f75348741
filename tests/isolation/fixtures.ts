import pg from 'pg';
import { tenants } from './platform.js';

/** Demo users of tenant A who sign in, and the demo admin of tenant B. */
export const people = {
  /** tenant_admin of A. */
  admin: { tenant: 'demo.test', email: 'admin@demo.test' },
  /** user of A whose auditor role grants users and audit_events permissions. */
  alice: { tenant: 'demo.test', email: 'alice@demo.test' },
  victimAdmin: '00000000-0000-4000-8004-000000000005',
  victimUser: '00000000-0000-4000-8004-000000000006',
};

const auditorOfA = '00000000-0000-4000-8001-000000000007';

/**
 * Fills every tenant-owned table with rows of tenant B, so every attack has a target. Also
 * gives A's auditor role the users create, update and delete grants besides the demo's read
 * grants, so the grant-based rules of the user role are in play.
 */
export async function seedVictimRows(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const b = tenants.b;
  const user = people.victimUser;
  const hash = "decode(repeat('ab', 32), 'hex')";
  try {
    await client.query(
      `INSERT INTO role_permissions (tenant_id, role_id, permission_id)
       SELECT $1, $2, id FROM permissions WHERE resource = 'users' AND action <> 'read'
       ON CONFLICT DO NOTHING`,
      [tenants.a, auditorOfA],
    );
    await client.query(
      `INSERT INTO role_permissions (tenant_id, role_id, permission_id)
       SELECT $1, '00000000-0000-4000-8001-000000000005', id FROM permissions
       ON CONFLICT DO NOTHING`,
      [b],
    );
    const session = await client.query<{ id: string }>(
      `INSERT INTO sessions (tenant_id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 day')
       RETURNING id`,
      [b, user],
    );
    const sessionId = session.rows[0]?.id;
    const apiSession = await client.query<{ id: string }>(
      `INSERT INTO sessions (tenant_id, user_id, expires_at, kind)
       VALUES ($1, $2, now() + interval '1 day', 'api-key') RETURNING id`,
      [b, user],
    );
    await client.query(
      `INSERT INTO refresh_tokens (session_id, tenant_id, token_hash, expires_at)
       VALUES ($1, $2, ${hash}, now() + interval '1 day')`,
      [sessionId, b],
    );
    const factor = await client.query<{ id: string }>(
      `INSERT INTO auth_factors (tenant_id, user_id, type, secret_encrypted, confirmed_at)
       VALUES ($1, $2, 'totp', ${hash}, now()) RETURNING id`,
      [b, user],
    );
    await client.query(
      `INSERT INTO tenant_directories (tenant_id, settings, bind_password_encrypted)
       VALUES ($1, '{"url": "ldap://acme.test"}', ${hash})`,
      [b],
    );
    const plugin = await client.query<{ id: string }>(
      `INSERT INTO plugins (name, version, webhook_url, requested_permissions)
       VALUES ('isolation', '1.0.0', 'http://127.0.0.1:9/hook',
               '[{"resource": "users", "actions": ["read"]}]') RETURNING id`,
    );
    await client.query(
      `INSERT INTO plugin_installations (tenant_id, plugin_id, plugin_name, secret_encrypted)
       VALUES ($1, $2, 'isolation', ${hash})`,
      [b, plugin.rows[0]?.id],
    );
    await client.query(
      `INSERT INTO audit_events (tenant_id, actor_user_id, action, resource_type, resource_id)
       VALUES ($1, $2::uuid, 'isolation.fixture', 'users', $2::text)`,
      [b, user],
    );
    await client.query(
      `INSERT INTO tenant_features (tenant_id, name, enabled) VALUES ($1, 'plugins', true)`,
      [b],
    );
    await client.query(
      `INSERT INTO user_tokens (tenant_id, user_id, purpose, token_hash, expires_at)
       VALUES ($1, $2, 'invite', ${hash}, now() + interval '1 day')`,
      [b, user],
    );
    await client.query(
      `INSERT INTO api_keys (tenant_id, user_id, session_id, name, secret_hash, roles)
       VALUES ($1, $2, $3, 'isolation', decode(repeat('cd', 32), 'hex'), '{user}')`,
      [b, user, apiSession.rows[0]?.id],
    );
    await client.query(
      `INSERT INTO mfa_challenges (tenant_id, user_id, token_hash, purpose, method, expires_at)
       VALUES ($1, $2, decode(repeat('ef', 32), 'hex'), 'verification', 'password',
               now() + interval '1 hour')`,
      [b, user],
    );
    await client.query(
      `INSERT INTO mfa_codes (tenant_id, user_id, factor_id, code_hash, expires_at)
       VALUES ($1, $2, $3, ${hash}, now() + interval '1 hour')`,
      [b, user, factor.rows[0]?.id],
    );
  } finally {
    await client.end();
  }
}

/**
 * Returns the values that must never reach a caller of tenant A: the id of every row of B,
 * B's tenant id and domain, and its users' emails.
 */
export async function victimMarkers(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT c.table_name FROM information_schema.columns c
         JOIN information_schema.columns id
           ON id.table_schema = c.table_schema AND id.table_name = c.table_name
          AND id.column_name = 'id'
        WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id'`,
    );
    const markers = new Set<string>([tenants.b, 'acme.test']);
    for (const { table_name: table } of tables.rows) {
      const result = await client.query<{ id: string }>(
        `SELECT id::text AS id FROM public.${client.escapeIdentifier(table)} WHERE tenant_id = $1`,
        [tenants.b],
      );
      // Numeric ids such as audit_events.id are too short to recognise in a response.
      for (const row of result.rows) if (row.id.length >= 32) markers.add(row.id);
    }
    return [...markers];
  } finally {
    await client.end();
  }
}

/** Ids of tenant B's rows by table, for `_by_pk` and by-id attacks. */
export async function victimIds(databaseUrl: string): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids = new Map<string, string>([['tenants', tenants.b]]);
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'tenant_id'
          AND table_name IN (SELECT table_name FROM information_schema.columns
                              WHERE table_schema = 'public' AND column_name = 'id')`,
    );
    for (const { table_name: table } of tables.rows) {
      const result = await client.query<{ id: string }>(
        `SELECT id::text AS id FROM public.${client.escapeIdentifier(table)}
          WHERE tenant_id = $1 ORDER BY id LIMIT 1`,
        [tenants.b],
      );
      const id = result.rows[0]?.id;
      if (id !== undefined) ids.set(table, id);
    }
    return ids;
  } finally {
    await client.end();
  }
}
