import { hash } from '@node-rs/argon2';
import pg from 'pg';

/** Size of the generated data set. */
export interface BenchSize {
  tenants: number;
  usersPerTenant: number;
}

/** The user the benchmark signs in as: role user, with the users read grant. */
export const benchUser = {
  tenant: 'bench-1.test',
  email: 'reader@bench-1.test',
  password: 'Bench-Passw0rd-1234',
};

/**
 * Generates `size.tenants` tenants of `size.usersPerTenant` users each, every user holding the
 * system role user, plus in every tenant a role reader with the users read grant held by
 * reader@<domain>. Sessions are added too, three per user, so the session lookup has a table
 * of realistic size to search.
 */
export async function seedBenchData(databaseUrl: string, size: BenchSize): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const passwordHash = await hash(benchUser.password, {
    memoryCost: 19456,
    timeCost: 2,
    parallelism: 1,
  });
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO permissions (resource, action) VALUES ('users', 'read')
       ON CONFLICT (resource, action) DO NOTHING`,
    );
    await client.query(
      `INSERT INTO tenants (name, domain)
       SELECT 'Bench ' || n, 'bench-' || n || '.test' FROM generate_series(1, $1) AS n`,
      [size.tenants],
    );
    await client.query(
      `INSERT INTO roles (tenant_id, name, is_system)
       SELECT t.id, r.name, r.name <> 'reader' FROM tenants t
        CROSS JOIN (VALUES ('user'), ('tenant_admin'), ('reader')) AS r (name)
        WHERE t.domain LIKE 'bench-%'`,
    );
    await client.query(
      `INSERT INTO role_permissions (tenant_id, role_id, permission_id)
       SELECT r.tenant_id, r.id, p.id FROM roles r
         JOIN permissions p ON p.resource = 'users' AND p.action = 'read'
        WHERE r.name = 'reader'`,
    );
    await client.query(
      `INSERT INTO users (tenant_id, email, first_name, last_name, password_hash)
       SELECT t.id,
              CASE WHEN n = 1 THEN 'reader@' ELSE 'user' || n || '@' END || t.domain,
              'First' || n, 'Last' || n, CASE WHEN n = 1 THEN $2 END
         FROM tenants t CROSS JOIN generate_series(1, $1) AS n
        WHERE t.domain LIKE 'bench-%'`,
      [size.usersPerTenant, passwordHash],
    );
    await client.query(
      `INSERT INTO user_roles (tenant_id, user_id, role_id)
       SELECT u.tenant_id, u.id, r.id FROM users u
         JOIN roles r ON r.tenant_id = u.tenant_id
          AND (r.name = 'user' OR (r.name = 'reader' AND u.email LIKE 'reader@%'))
        WHERE u.email LIKE '%@bench-%'`,
    );
    await client.query(
      `INSERT INTO sessions (tenant_id, user_id, expires_at, revoked_at)
       SELECT u.tenant_id, u.id, now() + interval '1 day',
              CASE WHEN n = 3 THEN now() END
         FROM users u CROSS JOIN generate_series(1, 3) AS n
        WHERE u.email LIKE '%@bench-%'`,
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
