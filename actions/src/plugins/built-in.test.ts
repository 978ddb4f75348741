import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import type { TestServer } from '../testing/server.js';
import {
  act,
  adminSession,
  pluginEnv,
  seedPluginTenants,
  startPluginTestServer,
  writePluginsDir,
} from './test-fixtures.js';

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;
let alpha: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase('actions-plugin-built-in');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedPluginTenants(client);
  server = await startPluginTestServer(
    database.url,
    pluginEnv(await writePluginsDir([]), {
      ACCI_AUDIT_LOG_URL: 'http://127.0.0.1:9/audit',
      ACCI_WELCOME_EMAIL_URL: 'http://127.0.0.1:9/welcome',
    }),
  );
  alpha = await adminSession(server, 'alpha');
});

afterAll(async () => {
  await server?.close();
  await client?.end();
  await database?.drop();
});

describe('first-party plugins', () => {
  it('registers each plugin whose URL variable is set', async () => {
    const result = await client.query(
      'SELECT name, version, webhook_url FROM plugins ORDER BY name',
    );
    expect(result.rows).toEqual([
      { name: 'audit-log', version: '1.0.0', webhook_url: 'http://127.0.0.1:9/audit' },
      { name: 'welcome-email', version: '1.0.0', webhook_url: 'http://127.0.0.1:9/welcome' },
    ]);
    const skipped = server.logs().find((line) => line.msg === 'plugin is not registered');
    expect(String(skipped?.reason)).toContain('ACCI_ROLE_WATCH_URL');
    expect(
      server.logs().filter((line) => line.msg === 'plugin manifest is invalid and skipped'),
    ).toEqual([]);
  });

  it('fills the welcome-email defaults', async () => {
    const reply = await act(server, 'installPlugin', { name: 'welcome-email' }, alpha);
    expect(reply.body.config).toEqual({
      from: 'no-reply@acci.test',
      subject: 'Welcome to ACCI',
      signature: 'Your ACCI team',
    });
  });

  it('rejects a sender that is no address', async () => {
    const reply = await act(
      server,
      'configurePlugin',
      { name: 'welcome-email', config: { from: 'nobody' } },
      alpha,
    );
    expect(reply.body.extensions?.code).toBe('invalid-plugin-config');
    expect(reply.body.message).toContain('"config.from" must match format "email"');
  });
});
