import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../harness/db.js';

const tenantA = '30000000-0000-4000-8000-00000000000a';
const tenantB = '30000000-0000-4000-8000-00000000000b';
const archived = '30000000-0000-4000-8000-00000000000c';
const userB = '31000000-0000-4000-8000-00000000000b';

let database: TestDatabase;
let client: pg.Client;

/** Runs `sql` in a transaction as `role` with `hasura.user` set as Hasura sets it. */
async function asRole(
  role: string,
  session: Record<string, string> | null,
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResult> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL ROLE ${role}`);
    if (session !== null) {
      await client.query("SELECT set_config('hasura.user', $1, true)", [JSON.stringify(session)]);
    }
    const result = await client.query(sql, params);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

const userOfA = { 'x-hasura-role': 'tenant_admin', 'x-hasura-tenant-id': tenantA };

beforeAll(async () => {
  database = await createTestDatabase('row-security');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(
    `INSERT INTO tenants (id, name, domain, status) VALUES
       ($1, 'A', 'a.test', 'active'), ($2, 'B', 'b.test', 'active'),
       ($3, 'Archived', 'archived.test', 'archived')`,
    [tenantA, tenantB, archived],
  );
  await client.query(`INSERT INTO users (id, tenant_id, email) VALUES ($1, $2, 'b@b.test')`, [
    userB,
    tenantB,
  ]);
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe('tenant row-level security', () => {
  it('rejects an insert into another tenant', async () => {
    const insert = asRole(
      'acci_graphql',
      userOfA,
      `INSERT INTO users (tenant_id, email) VALUES ($1, 'x@b.test')`,
      [tenantB],
    );
    await expect(insert).rejects.toThrow(
      'new row violates row-level security policy for table "users"',
    );
  });

  it('allows an insert into the own tenant', async () => {
    const result = await asRole(
      'acci_graphql',
      userOfA,
      `INSERT INTO users (tenant_id, email) VALUES ($1, 'x@a.test') RETURNING id`,
      [tenantA],
    );
    expect(result.rowCount).toBe(1);
  });

  it('updates and deletes no row of another tenant', async () => {
    const update = await asRole(
      'acci_graphql',
      userOfA,
      `UPDATE users SET first_name = 'Mallory' WHERE id = $1`,
      [userB],
    );
    const remove = await asRole('acci_graphql', userOfA, 'DELETE FROM users WHERE id = $1', [
      userB,
    ]);
    expect(update.rowCount).toBe(0);
    expect(remove.rowCount).toBe(0);
    const { rows } = await client.query('SELECT first_name FROM users WHERE id = $1', [userB]);
    expect(rows).toEqual([{ first_name: '' }]);
  });

  it('rejects moving an own row into another tenant', async () => {
    await client.query(`INSERT INTO tenant_features (tenant_id, name) VALUES ($1, 'moved')`, [
      tenantA,
    ]);
    const move = asRole(
      'acci_graphql',
      userOfA,
      `UPDATE tenant_features SET tenant_id = $2 WHERE tenant_id = $1`,
      [tenantA, tenantB],
    );
    await expect(move).rejects.toThrow(
      'new row violates row-level security policy for table "tenant_features"',
    );
  });

  it('still lets every role read', async () => {
    const result = await asRole('acci_graphql', userOfA, 'SELECT id FROM users WHERE id = $1', [
      userB,
    ]);
    expect(result.rowCount).toBe(1);
  });

  it('rejects a write without hasura.user from the engine role', async () => {
    const insert = asRole(
      'acci_graphql',
      null,
      `INSERT INTO tenant_features (tenant_id, name) VALUES ($1, 'no-session')`,
      [tenantA],
    );
    await expect(insert).rejects.toThrow('row-level security policy for table "tenant_features"');
  });

  it('allows the action server role without hasura.user', async () => {
    const result = await asRole(
      'acci_actions',
      null,
      `INSERT INTO tenant_features (tenant_id, name) VALUES ($1, 'from-actions')`,
      [tenantB],
    );
    expect(result.rowCount).toBe(1);
  });

  it('binds the action server role once hasura.user is set', async () => {
    const insert = asRole(
      'acci_actions',
      userOfA,
      `INSERT INTO tenant_features (tenant_id, name) VALUES ($1, 'as-user')`,
      [tenantB],
    );
    await expect(insert).rejects.toThrow('row-level security policy for table "tenant_features"');
  });

  it('allows admin and platform_admin across tenants', async () => {
    const admin = await asRole(
      'acci_graphql',
      { 'x-hasura-role': 'admin' },
      `INSERT INTO tenant_features (tenant_id, name) VALUES ($1, 'by-admin')`,
      [tenantB],
    );
    const platform = await asRole(
      'acci_graphql',
      { 'x-hasura-role': 'platform_admin', 'x-hasura-tenant-id': tenantA },
      `INSERT INTO tenant_features (tenant_id, name) VALUES ($1, 'by-platform')`,
      [tenantB],
    );
    expect(admin.rowCount).toBe(1);
    expect(platform.rowCount).toBe(1);
  });

  it('keeps archived tenants read-only for platform_admin', async () => {
    const platformAdmin = { 'x-hasura-role': 'platform_admin', 'x-hasura-tenant-id': tenantA };
    const insert = asRole(
      'acci_graphql',
      platformAdmin,
      `INSERT INTO tenant_features (tenant_id, name) VALUES ($1, 'archived')`,
      [archived],
    );
    await expect(insert).rejects.toThrow('row-level security policy for table "tenant_features"');
    const update = await asRole(
      'acci_graphql',
      platformAdmin,
      `UPDATE tenants SET status = 'active' WHERE id = $1`,
      [archived],
    );
    expect(update.rowCount).toBe(0);
  });
});
