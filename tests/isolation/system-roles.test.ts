import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../harness/db.js';

const tenant = '32000000-0000-4000-8000-000000000001';
const adminRole = '32000000-0000-4000-8001-000000000001';
const customRole = '32000000-0000-4000-8001-000000000002';
const first = '32000000-0000-4000-8002-000000000001';
const second = '32000000-0000-4000-8002-000000000002';

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase('system-roles');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`INSERT INTO tenants (id, name, domain) VALUES ($1, 'T', 't.test')`, [tenant]);
  await client.query(
    `INSERT INTO roles (id, tenant_id, name, is_system) VALUES
       ($2, $1, 'tenant_admin', true), ($3, $1, 'auditor', false)`,
    [tenant, adminRole, customRole],
  );
  await client.query(
    `INSERT INTO users (id, tenant_id, email) VALUES ($2, $1, 'one@t.test'), ($3, $1, 'two@t.test')`,
    [tenant, first, second],
  );
  await client.query(
    `INSERT INTO user_roles (tenant_id, user_id, role_id) VALUES ($1, $2, $4), ($1, $3, $4)`,
    [tenant, first, second, adminRole],
  );
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe('system role guards', () => {
  it('rejects deleting a system role', async () => {
    await expect(client.query('DELETE FROM roles WHERE id = $1', [adminRole])).rejects.toThrow(
      'system role "tenant_admin" cannot be deleted',
    );
  });

  it('rejects renaming a system role', async () => {
    await expect(
      client.query(`UPDATE roles SET name = 'boss' WHERE id = $1`, [adminRole]),
    ).rejects.toThrow('system role "tenant_admin" cannot be renamed or turned into a custom role');
  });

  it('rejects promoting a custom role to a system role', async () => {
    await expect(
      client.query('UPDATE roles SET is_system = true WHERE id = $1', [customRole]),
    ).rejects.toThrow('role "auditor" cannot become a system role');
  });

  it('lets a holder go while another remains', async () => {
    const result = await client.query('DELETE FROM user_roles WHERE user_id = $1', [second]);
    expect(result.rowCount).toBe(1);
  });

  it('keeps the last tenant_admin', async () => {
    await expect(
      client.query('DELETE FROM user_roles WHERE user_id = $1', [first]),
    ).rejects.toThrow('the last holder of the system role "tenant_admin" cannot lose it');
    await expect(client.query('DELETE FROM users WHERE id = $1', [first])).rejects.toThrow(
      'the last holder of the system role "tenant_admin" cannot lose it',
    );
  });

  it('removes everything when the tenant is deleted', async () => {
    await client.query('DELETE FROM tenants WHERE id = $1', [tenant]);
    const { rows } = await client.query(
      `SELECT (SELECT count(*) FROM roles WHERE tenant_id = $1)::int AS roles,
              (SELECT count(*) FROM user_roles WHERE tenant_id = $1)::int AS grants`,
      [tenant],
    );
    expect(rows).toEqual([{ roles: 0, grants: 0 }]);
  });
});
