import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import { createSecretBox, parseEncryptionKeys } from '../crypto/secret-box.js';
import { seedUser, signIn } from '../testing/auth.js';
import type { TestServer } from '../testing/server.js';
import {
  act,
  adminSession,
  manifest,
  pluginEnv,
  type Reply,
  seedPluginTenants,
  startPluginTestServer,
  tenants,
  writePluginsDir,
} from './test-fixtures.js';

const dependentSchema = {
  type: 'object',
  properties: {
    channel: { type: 'string', minLength: 1 },
    threshold: { type: 'integer', minimum: 1, default: 5 },
  },
  required: ['channel'],
  additionalProperties: false,
};

const catalog = [
  manifest({ name: 'base', version: '1.0.0' }),
  manifest({ name: 'base', version: '1.1.0' }),
  manifest({ name: 'base', version: '2.0.0' }),
  manifest({
    name: 'dependent',
    version: '1.0.0',
    dependencies: { base: '^1.0.0' },
    configSchema: dependentSchema,
  }),
  manifest({ name: 'lonely', version: '1.0.0', dependencies: { absent: '^1.0.0' } }),
  manifest({ name: 'broken', version: 'one' }),
];

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;
let alpha: Record<string, string>;
let beta: Record<string, string>;
let env: Record<string, string>;

function expectError(reply: Reply, status: number, code: string, message?: RegExp): void {
  expect(reply.body.extensions?.code).toBe(code);
  expect(reply.status).toBe(status);
  if (message !== undefined) expect(reply.body.message).toMatch(message);
}

beforeAll(async () => {
  database = await createTestDatabase('actions-plugin-lifecycle');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedPluginTenants(client);
  await seedUser(client, {
    id: '0a000000-0000-4000-8000-0000000000a2',
    tenantId: tenants.alpha.id,
    email: 'member@alpha.test',
    roles: ['user'],
  });
  env = pluginEnv(await writePluginsDir(catalog), { SAMPLE_URL: 'http://127.0.0.1:9' });
  server = await startPluginTestServer(database.url, env);
  alpha = await adminSession(server, 'alpha');
  beta = await adminSession(server, 'beta');
});

afterAll(async () => {
  await server?.close();
  await client?.end();
  await database?.drop();
});

describe('plugin catalog', () => {
  it('registers the valid manifests of ACCI_PLUGINS_DIR', async () => {
    const result = await client.query(
      'SELECT name, version, webhook_url FROM plugins ORDER BY 1, 2',
    );
    expect(result.rows.map((row) => `${row.name}@${row.version}`)).toEqual([
      'base@1.0.0',
      'base@1.1.0',
      'base@2.0.0',
      'dependent@1.0.0',
      'lonely@1.0.0',
    ]);
    expect(result.rows[0].webhook_url).toBe('http://127.0.0.1:9/hooks');
  });

  it('logs the problems of an invalid manifest', () => {
    const line = server
      .logs()
      .find((entry) => entry.msg === 'plugin manifest is invalid and skipped');
    expect(line?.problems).toEqual(['version: "one" is not a semantic version such as 1.0.0']);
  });
});

describe('installPlugin', () => {
  it('rejects a plugin whose dependency is not installed', async () => {
    const reply = await act(
      server,
      'installPlugin',
      { name: 'dependent', config: { channel: 'x' } },
      alpha,
    );
    expectError(reply, 409, 'plugin-dependency-unmet', /needs base@\^1\.0\.0 \(not installed\)/);
  });

  it('rejects an unknown plugin and a non-admin caller', async () => {
    expectError(
      await act(server, 'installPlugin', { name: 'nothing' }, alpha),
      404,
      'plugin-not-found',
    );
    const member = (await signIn(server, tenants.alpha.domain, 'member@alpha.test')).session;
    expectError(await act(server, 'installPlugin', { name: 'base' }, member), 403, 'access-denied');
  });

  it('installs a version and shows the secret once, stored encrypted', async () => {
    const reply = await act(server, 'installPlugin', { name: 'base', version: '1.0.0' }, alpha);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      name: 'base',
      version: '1.0.0',
      enabled: true,
      hooks: ['users.insert', 'users.update', 'users.delete'],
      requestedPermissions: [{ resource: 'users', actions: ['read'] }],
    });
    const secret = String(reply.body.signingSecret);
    expect(secret).toMatch(/^whsec_/);

    const stored = await client.query(
      'SELECT id, secret_encrypted FROM plugin_installations WHERE plugin_name = $1',
      ['base'],
    );
    const row = stored.rows[0];
    expect(row.secret_encrypted.includes(Buffer.from(secret))).toBe(false);
    const box = createSecretBox(parseEncryptionKeys(env.ACCI_ENCRYPTION_KEYS ?? ''));
    const context = `plugin_installations.secret:${row.id}`;
    expect(box.decrypt(row.secret_encrypted, context).toString()).toBe(secret);
    expect(server.logText()).not.toContain(secret.slice(6));
  });

  it('rejects a second installation of the same plugin', async () => {
    const reply = await act(server, 'installPlugin', { name: 'base' }, alpha);
    expectError(reply, 409, 'plugin-already-installed', /already installed at 1\.0\.0/);
  });

  it('rejects a dependency that is never installed', async () => {
    const reply = await act(server, 'installPlugin', { name: 'lonely' }, alpha);
    expectError(reply, 409, 'plugin-dependency-unmet', /absent@\^1\.0\.0 \(not installed\)/);
  });

  it('validates the configuration against the schema', async () => {
    const missing = await act(server, 'installPlugin', { name: 'dependent', config: {} }, alpha);
    expectError(missing, 400, 'invalid-plugin-config', /"config\.channel" is required/);
    const reply = await act(
      server,
      'installPlugin',
      { name: 'dependent', config: { channel: 'ops' } },
      alpha,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.config).toEqual({ channel: 'ops', threshold: 5 });
  });

  it('keeps tenants apart', async () => {
    const reply = await act(server, 'configurePlugin', { name: 'base', config: {} }, beta);
    expectError(reply, 404, 'plugin-not-installed');
    const foreign = await act(
      server,
      'installPlugin',
      { name: 'base', tenantId: tenants.alpha.id },
      beta,
    );
    expectError(foreign, 403, 'access-denied');
  });
});

describe('configurePlugin', () => {
  it('names the invalid and the unknown settings', async () => {
    const reply = await act(
      server,
      'configurePlugin',
      { name: 'dependent', config: { channel: 'ops', threshold: 0, colour: 'red' } },
      alpha,
    );
    expectError(reply, 400, 'invalid-plugin-config');
    expect(reply.body.message).toContain('"config.threshold" must be >= 1');
    expect(reply.body.message).toContain('"config.colour" is not a known setting');
  });

  it('stores a valid configuration', async () => {
    const reply = await act(
      server,
      'configurePlugin',
      { name: 'dependent', config: { channel: 'sec', threshold: 2 } },
      alpha,
    );
    expect(reply.status).toBe(200);
    const stored = await client.query(
      "SELECT config FROM plugin_installations WHERE plugin_name = 'dependent'",
    );
    expect(stored.rows[0].config).toEqual({ channel: 'sec', threshold: 2 });
  });
});

describe('upgradePlugin', () => {
  it('rejects a version that breaks a dependent', async () => {
    const reply = await act(server, 'upgradePlugin', { name: 'base', version: '2.0.0' }, alpha);
    expectError(reply, 409, 'plugin-has-dependents', /dependent@1\.0\.0 \(needs base@\^1\.0\.0\)/);
  });

  it('upgrades within the range and keeps the secret', async () => {
    const before = await client.query(
      "SELECT secret_encrypted FROM plugin_installations WHERE plugin_name = 'base'",
    );
    const reply = await act(server, 'upgradePlugin', { name: 'base', version: '1.1.0' }, alpha);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ version: '1.1.0', previousVersion: '1.0.0' });
    const after = await client.query(
      "SELECT secret_encrypted FROM plugin_installations WHERE plugin_name = 'base'",
    );
    expect(after.rows[0].secret_encrypted).toEqual(before.rows[0].secret_encrypted);
  });

  it('rejects a version that is not higher', async () => {
    const reply = await act(server, 'upgradePlugin', { name: 'base', version: '1.0.0' }, alpha);
    expectError(reply, 409, 'plugin-version-conflict', /installed at 1\.1\.0/);
  });
});

describe('enablePlugin and disablePlugin', () => {
  it('switch deliveries off and on', async () => {
    const off = await act(server, 'disablePlugin', { name: 'base' }, alpha);
    expect(off.body.enabled).toBe(false);
    const grants = await client.query(
      `SELECT count(*)::int AS n FROM plugin_grants g
         JOIN plugin_installations i ON i.id = g.installation_id WHERE i.plugin_name = 'base'`,
    );
    expect(grants.rows[0].n).toBe(0);
    const on = await act(server, 'enablePlugin', { name: 'base' }, alpha);
    expect(on.body.enabled).toBe(true);
  });
});

describe('uninstallPlugin', () => {
  it('rejects removing a plugin another one depends on', async () => {
    const reply = await act(server, 'uninstallPlugin', { name: 'base' }, alpha);
    expectError(reply, 409, 'plugin-has-dependents', /because dependent@1\.0\.0/);
  });

  it('removes dependents first, then the dependency', async () => {
    expect((await act(server, 'uninstallPlugin', { name: 'dependent' }, alpha)).status).toBe(200);
    const reply = await act(server, 'uninstallPlugin', { name: 'base' }, alpha);
    expect(reply.body).toMatchObject({ name: 'base', uninstalled: true });
    const left = await client.query('SELECT count(*)::int AS n FROM plugin_installations');
    expect(left.rows[0].n).toBe(0);
  });

  it('records each change in audit_events', async () => {
    const result = await client.query(
      "SELECT action FROM audit_events WHERE action LIKE 'plugin.%' ORDER BY id",
    );
    expect(result.rows.map((row) => row.action)).toEqual([
      'plugin.installed',
      'plugin.installed',
      'plugin.configured',
      'plugin.upgraded',
      'plugin.disabled',
      'plugin.enabled',
      'plugin.uninstalled',
      'plugin.uninstalled',
    ]);
  });
});
