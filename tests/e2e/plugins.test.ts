import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  createPluginServer,
  type PluginEvent,
  type PluginServer,
  type UserRow,
} from '@acci/plugin-sdk';
import pg from 'pg';
import {
  pluginEnv,
  seedPluginTenants,
  tenants,
  writePluginsDir,
} from '../../actions/src/plugins/test-fixtures.js';
import { seedPassword } from '../../actions/src/testing/auth.js';
import {
  startTestServer,
  type TestServer,
  testActionSecret,
} from '../../actions/src/testing/server.js';
import { engineConfigFromEnv, type RunningEngine, startEngine } from '../../engine/src/index.js';
import { createTestDatabase, type TestDatabase } from '../harness/db.js';

// The platform end to end. A GraphQL mutation on the engine fires its event trigger, and the
// action server's /events stores deliveries. Its worker sends them to a plugin written as
// docs/plugins.md describes, which calls back into GraphQL with its plugin credential.

const metadataDir = join(import.meta.dirname, '..', '..', 'hasura', 'metadata');
const manifest = {
  name: 'e2e-reader',
  version: '1.0.0',
  description: 'Receives new users and reads the users of its tenant.',
  webhook: '{{E2E_PLUGIN_URL}}/hooks',
  hooks: ['users.insert'],
  requestedPermissions: [{ resource: 'users', actions: ['read'] }],
};

interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

let database: TestDatabase;
let client: pg.Client;
let actions: TestServer;
let engine: RunningEngine;
let graphqlUrl: string;
let pluginPort: number;
let plugin: PluginServer | undefined;
let signingSecret = '';
const tokens: Record<string, string> = {};

/** What the plugin saw: each event, and the users its credential could read at the time. */
const received: Array<{ event: PluginEvent<UserRow>; visibleEmails: string[]; token: string }> = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts the plugin, written as docs/plugins.md describes. */
async function startPlugin(): Promise<void> {
  plugin = await createPluginServer({
    port: pluginPort,
    secret: () => signingSecret,
    graphqlUrl,
    hooks: {
      'users.insert': async (event, context) => {
        const data = await context.graphql<{ users: Array<{ email: string }> }>(
          'query { users(order_by: {email: asc}) { email } }',
        );
        received.push({
          event,
          visibleEmails: data.users.map((user) => user.email),
          token: context.token,
        });
      },
    },
  });
}

async function stopPlugin(): Promise<void> {
  await plugin?.close();
  plugin = undefined;
}

async function graphql(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphqlResponse> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphqlResponse;
}

async function signInAs(tenant: 'alpha' | 'beta'): Promise<string> {
  const result = await graphql(
    `mutation ($t: String!, $e: String!, $p: String!) {
       login(tenantId: $t, email: $e, password: $p) { accessToken }
     }`,
    { t: tenants[tenant].domain, e: `admin@${tenants[tenant].domain}`, p: seedPassword },
  );
  const login = result.data?.login as { accessToken: string } | undefined;
  if (login === undefined) throw new Error(`Sign-in failed: ${JSON.stringify(result)}`);
  return login.accessToken;
}

async function createUser(tenant: 'alpha' | 'beta', email: string): Promise<void> {
  const result = await graphql(
    'mutation ($email: citext!) { insert_users_one(object: {email: $email}) { id } }',
    { email },
    tokens[tenant],
  );
  expect(result.errors).toBeUndefined();
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function deliveryOf(email: string) {
  const result = await client.query(
    `SELECT id, status, attempts FROM plugin_deliveries
      WHERE payload -> 'event' -> 'data' -> 'new' ->> 'email' = $1`,
    [email],
  );
  return result.rows[0] as { id: string; status: string; attempts: number } | undefined;
}

function receivedEmails(): string[] {
  return received.map((entry) => String(entry.event.new?.email));
}

beforeAll(async () => {
  database = await createTestDatabase('e2e-plugins');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedPluginTenants(client);
  const enginePort = await freePort();
  pluginPort = await freePort();
  graphqlUrl = `http://127.0.0.1:${enginePort}/v1/graphql`;

  actions = await startTestServer(
    database.url,
    pluginEnv(await writePluginsDir([manifest]), {
      E2E_PLUGIN_URL: `http://127.0.0.1:${pluginPort}`,
      ACCI_GRAPHQL_URL: graphqlUrl,
      ACCI_PLUGIN_DELIVERY_MAX_ATTEMPTS: '4',
      ACCI_PLUGIN_RETRY_BASE_MS: '100',
      ACCI_PLUGIN_RETRY_MAX_MS: '300',
    }),
  );
  engine = await startEngine(
    engineConfigFromEnv({
      HASURA_GRAPHQL_DATABASE_URL: database.url,
      HASURA_GRAPHQL_ADMIN_SECRET: 'e2e-plugins-admin-secret',
      HASURA_GRAPHQL_METADATA_DIR: metadataDir,
      HASURA_GRAPHQL_SERVER_HOST: '127.0.0.1',
      HASURA_GRAPHQL_SERVER_PORT: String(enginePort),
      HASURA_GRAPHQL_UNAUTHORIZED_ROLE: 'anonymous',
      HASURA_GRAPHQL_EVENTS_FETCH_INTERVAL: '100',
      HASURA_GRAPHQL_JWT_SECRET: JSON.stringify({
        type: 'RS256',
        jwk_url: `${actions.url}/.well-known/jwks.json`,
        issuer: 'acci',
      }),
      ACTION_BASE_URL: actions.url,
      ACTION_SECRET: testActionSecret,
    }),
  );
  tokens.alpha = await signInAs('alpha');
  tokens.beta = await signInAs('beta');
  await startPlugin();
}, 60_000);

afterAll(async () => {
  await stopPlugin();
  await engine?.close();
  await actions?.close();
  await client?.end();
  await database?.drop();
});

describe('plugin end to end', () => {
  it('installs through GraphQL and shows the requested permissions', async () => {
    const result = await graphql(
      `mutation { installPlugin(name: "e2e-reader") {
         name version requestedPermissions { resource actions } signingSecret } }`,
      {},
      tokens.alpha,
    );
    expect(result.errors).toBeUndefined();
    const installed = result.data?.installPlugin as Record<string, unknown>;
    expect(installed).toMatchObject({
      name: 'e2e-reader',
      version: '1.0.0',
      requestedPermissions: [{ resource: 'users', actions: ['read'] }],
    });
    signingSecret = String(installed.signingSecret);
  });

  it('receives the users its tenant creates, and only those', async () => {
    await createUser('beta', 'first@beta.test');
    await createUser('alpha', 'first@alpha.test');
    await waitFor('the alpha user', async () => (receivedEmails().length > 0 ? true : undefined));
    // The beta insert was committed first; once its event is processed, nothing may follow.
    await waitFor('the beta event', async () => {
      const result = await client.query(
        `SELECT 1 FROM hdb_catalog.event_log
          WHERE payload -> 'data' -> 'new' ->> 'email' = 'first@beta.test' AND delivered`,
      );
      return result.rowCount === 1 ? true : undefined;
    });
    expect(receivedEmails()).toEqual(['first@alpha.test']);
  });

  it('reads only its own tenant with the plugin credential', async () => {
    const [first] = received;
    expect(first?.visibleEmails).toEqual(['admin@alpha.test', 'first@alpha.test']);
    const roles = await graphql('query { roles { name } }', {}, first?.token);
    expect(roles.data?.roles).toEqual([]);
    const sessions = await graphql('query { sessions { id } }', {}, first?.token);
    expect(sessions.errors?.[0]?.extensions?.code).toBe('validation-failed');
    const write = await graphql(
      'mutation { insert_audit_events_one(object: {action: "forged.event"}) { id } }',
      {},
      first?.token,
    );
    expect(write.errors?.[0]?.extensions?.code).toBe('permission-error');
  });

  it('gets a delivery through retries while the plugin is down', async () => {
    await stopPlugin();
    await createUser('alpha', 'retry@alpha.test');
    await waitFor('two failed attempts', async () => {
      const delivery = await deliveryOf('retry@alpha.test');
      return delivery !== undefined && delivery.attempts >= 2 ? true : undefined;
    });
    await startPlugin();
    await waitFor('the retried delivery', async () =>
      receivedEmails().includes('retry@alpha.test') ? true : undefined,
    );
    expect((await deliveryOf('retry@alpha.test'))?.status).toBe('delivered');
  });

  it('replays a dead delivery once the plugin is back', async () => {
    await stopPlugin();
    await createUser('alpha', 'dead@alpha.test');
    const dead = await waitFor('the dead delivery', async () => {
      const delivery = await deliveryOf('dead@alpha.test');
      return delivery?.status === 'dead' ? delivery : undefined;
    });
    await startPlugin();
    const replay = await graphql(
      'mutation ($id: uuid!) { replayDelivery(deliveryId: $id) { id status } }',
      { id: dead.id },
      tokens.alpha,
    );
    expect(replay.data?.replayDelivery).toEqual({ id: dead.id, status: 'pending' });
    await waitFor('the replayed delivery', async () =>
      receivedEmails().includes('dead@alpha.test') ? true : undefined,
    );
    const replayed = received.find((entry) => entry.event.new?.email === 'dead@alpha.test');
    expect(replayed?.event.deliveryId).toBe(dead.id);
  });

  it('stops the credential of a disabled plugin', async () => {
    const token = received.at(-1)?.token;
    const disabled = await graphql(
      'mutation { disablePlugin(name: "e2e-reader") { enabled } }',
      {},
      tokens.alpha,
    );
    expect(disabled.data?.disablePlugin).toEqual({ enabled: false });
    const users = await graphql('query { users { email } }', {}, token);
    expect(users.data?.users).toEqual([]);
  });
});
