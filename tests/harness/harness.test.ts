import { Redis } from 'ioredis';
import { Client as LdapClient } from 'ldapts';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './db.js';
import { testDirectory } from './ldap.js';
import { serviceUrl } from './services.js';

describe('test harness', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('harness');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('gives each file a migrated database', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const tables = await client.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      );
      expect(tables.rows.map((row) => row.name)).toEqual(
        expect.arrayContaining(['tenants', 'users', 'roles', 'sessions', 'audit_events']),
      );
      const versions = await client.query('SELECT version FROM hdb_catalog.schema_migrations');
      expect(versions.rowCount).toBeGreaterThanOrEqual(5);
    } finally {
      await client.end();
    }
  });

  it('gives a blank database on request', async () => {
    const blank = await createTestDatabase('harness-blank', { migrated: false });
    const client = new pg.Client({ connectionString: blank.url });
    await client.connect();
    try {
      const result = await client.query("SELECT to_regclass('public.users') AS users");
      expect(result.rows[0]?.users).toBeNull();
      const extensions = await client.query<{ extname: string }>(
        'SELECT extname FROM pg_extension ORDER BY 1',
      );
      expect(extensions.rows.map((row) => row.extname)).toEqual(
        expect.arrayContaining(['citext', 'ltree', 'pgcrypto']),
      );
    } finally {
      await client.end();
      await blank.drop();
    }
  });

  it('reaches Redis', async () => {
    const redis = new Redis(serviceUrl('redis'), { lazyConnect: true });
    await redis.connect();
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('serves the test directory over LDAP with memberOf', async () => {
    const client = new LdapClient({ url: serviceUrl('ldap') });
    try {
      await client.bind(testDirectory.serviceDn, testDirectory.password);
      const { searchEntries } = await client.search(`ou=people,${testDirectory.baseDn}`, {
        filter: '(uid=alice)',
        attributes: ['mail', 'memberOf'],
      });
      expect(searchEntries).toHaveLength(1);
      expect(searchEntries[0]?.mail).toBe('alice@demo.test');
      expect(searchEntries[0]?.memberOf).toEqual(
        expect.arrayContaining([`cn=acci-admins,ou=groups,${testDirectory.baseDn}`]),
      );
    } finally {
      await client.unbind();
    }
  });
});
