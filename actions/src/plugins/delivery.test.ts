import { type DeliveryPayload, verifySignature } from '@acci/plugin-sdk';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import type { TestServer } from '../testing/server.js';
import { backoffDelayMs } from './backoff.js';
import {
  act,
  adminSession,
  hasuraEvent,
  manifest,
  pluginEnv,
  postEvent,
  type Receiver,
  seedPluginTenants,
  startPluginTestServer,
  startReceiver,
  tenants,
  waitFor,
  writePluginsDir,
} from './test-fixtures.js';

let database: TestDatabase;
let client: pg.Client;
let server: TestServer;
let fast: Receiver;
let flaky: Receiver;
let slow: Receiver;
let alpha: Record<string, string>;
let beta: Record<string, string>;
const secrets = new Map<string, string>();

function userRow(tenantId: string, email: string) {
  return {
    id: crypto.randomUUID(),
    tenant_id: tenantId,
    email,
    password_hash: '$argon2id$secret-hash',
    first_name: 'Test',
  };
}

async function install(session: Record<string, string>, name: string): Promise<string> {
  const reply = await act(server, 'installPlugin', { name }, session);
  if (reply.status !== 200) throw new Error(JSON.stringify(reply.body));
  secrets.set(String(reply.body.installationId), String(reply.body.signingSecret));
  return String(reply.body.installationId);
}

async function deliveriesOf(eventId: string) {
  const result = await client.query(
    `SELECT d.id, d.status, d.attempts, i.plugin_name AS plugin, d.tenant_id AS "tenantId"
       FROM plugin_deliveries d JOIN plugin_installations i ON i.id = d.installation_id
      WHERE d.event_id = $1 ORDER BY i.plugin_name, d.tenant_id`,
    [eventId],
  );
  return result.rows;
}

/** Delivery ids of `plugin` for each event, read one after another on the one client. */
async function idsOf(events: Array<{ id: string }>, plugin: string): Promise<string[]> {
  const ids: string[] = [];
  for (const event of events) {
    const row = (await deliveriesOf(event.id)).find((entry) => entry.plugin === plugin);
    ids.push(row.id);
  }
  return ids;
}

function requestsFor(receiver: Receiver, deliveryId: string) {
  return receiver.requests.filter((request) => request.headers['webhook-id'] === deliveryId);
}

beforeAll(async () => {
  database = await createTestDatabase('actions-plugin-delivery');
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await seedPluginTenants(client);
  fast = await startReceiver();
  flaky = await startReceiver(() => ({ status: 500 }));
  slow = await startReceiver(() => ({ status: 200, delayMs: 700 }));
  const dir = await writePluginsDir([
    manifest({ name: 'fast', webhook: '{{FAST_URL}}' }),
    manifest({ name: 'flaky', webhook: '{{FLAKY_URL}}' }),
    manifest({ name: 'slow', webhook: '{{SLOW_URL}}' }),
    manifest({
      name: 'roles-only',
      hooks: ['roles.insert'],
      requestedPermissions: [{ resource: 'roles', actions: ['read'] }],
    }),
  ]);
  server = await startPluginTestServer(
    database.url,
    pluginEnv(dir, {
      FAST_URL: fast.url,
      FLAKY_URL: flaky.url,
      SLOW_URL: slow.url,
      SAMPLE_URL: fast.url,
    }),
  );
  // A catalog entry that bypasses manifest validation: it subscribes to users.insert but may
  // read only roles, so the receiver must not send it users rows.
  await client.query(
    `UPDATE plugins SET hooks = '["roles.insert", "users.insert"]' WHERE name = 'roles-only'`,
  );
  alpha = await adminSession(server, 'alpha');
  beta = await adminSession(server, 'beta');
  for (const name of ['fast', 'flaky', 'slow', 'roles-only']) await install(alpha, name);
  await install(beta, 'fast');
});

afterAll(async () => {
  await server?.close();
  await Promise.all([fast?.close(), flaky?.close(), slow?.close()]);
  await client?.end();
  await database?.drop();
});

describe('event receiver', () => {
  it('stores one delivery per subscribed installation of the tenant', async () => {
    const event = hasuraEvent('users', 'INSERT', {
      new: userRow(tenants.alpha.id, 'a@alpha.test'),
    });
    const reply = await postEvent(server, event);
    expect(reply).toEqual({ status: 200, body: { deliveries: 3 } });
    const rows = await deliveriesOf(event.id);
    expect(rows.map((row) => row.plugin)).toEqual(['fast', 'flaky', 'slow']);
    expect(new Set(rows.map((row) => row.tenantId))).toEqual(new Set([tenants.alpha.id]));
  });

  it('adds nothing for a repeated event id', async () => {
    const event = hasuraEvent('users', 'INSERT', {
      new: userRow(tenants.alpha.id, 'b@alpha.test'),
    });
    await postEvent(server, event);
    expect(await postEvent(server, event)).toEqual({ status: 200, body: { deliveries: 0 } });
    expect(await deliveriesOf(event.id)).toHaveLength(3);
  });

  it('ignores manual events and rejects other tables and bad bodies', async () => {
    const manual = hasuraEvent('users', 'MANUAL', {
      new: userRow(tenants.alpha.id, 'm@alpha.test'),
    });
    expect((await postEvent(server, manual)).body).toEqual({ deliveries: 0 });
    const other = await postEvent(server, hasuraEvent('sessions', 'INSERT', { new: {} }));
    expect(other.status).toBe(400);
    expect(other.body.message).toMatch(/Events of "public\.sessions" do not reach plugins/);
    expect((await postEvent(server, { hello: 'world' })).body.extensions?.code).toBe(
      'validation-failed',
    );
  });

  it('rejects a call without the action secret', async () => {
    const response = await fetch(`${server.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hasuraEvent('users', 'INSERT', { new: {} })),
    });
    expect(response.status).toBe(401);
  });
});

describe('delivery', () => {
  it('signs the body so the plugin verifies it with its secret', async () => {
    const event = hasuraEvent('users', 'INSERT', {
      new: userRow(tenants.alpha.id, 's@alpha.test'),
    });
    await postEvent(server, event);
    const delivery = (await deliveriesOf(event.id)).find((row) => row.plugin === 'fast');
    const [request] = await waitFor('the fast plugin', () => {
      const found = requestsFor(fast, delivery.id);
      return found.length > 0 ? found : undefined;
    });
    const installationId = String(request?.headers['x-acci-installation-id']);
    const check = verifySignature(
      secrets.get(installationId) ?? '',
      request?.headers ?? {},
      request?.body ?? '',
    );
    expect(check).toMatchObject({ valid: true, id: delivery.id });

    const body = JSON.parse(request?.body ?? '{}') as DeliveryPayload;
    expect(body.id).toBe(event.id);
    expect(body.acci).toMatchObject({
      hook: 'users.insert',
      tenantId: tenants.alpha.id,
      installationId,
    });
    expect(body.event.data.new?.email).toBe('s@alpha.test');
    expect(body.event.data.new).not.toHaveProperty('password_hash');

    const tampered = verifySignature(
      secrets.get(installationId) ?? '',
      request?.headers ?? {},
      `${request?.body} `,
    );
    expect(tampered.valid).toBe(false);
  });

  it('never sends a tenant the events of another', async () => {
    const event = hasuraEvent('users', 'UPDATE', {
      old: userRow(tenants.beta.id, 'old@beta.test'),
      new: userRow(tenants.beta.id, 'new@beta.test'),
    });
    await postEvent(server, event);
    const rows = await deliveriesOf(event.id);
    expect(rows.map((row) => [row.plugin, row.tenantId])).toEqual([['fast', tenants.beta.id]]);
    const [request] = await waitFor('the beta delivery', () => {
      const found = requestsFor(fast, rows[0].id);
      return found.length > 0 ? found : undefined;
    });
    const body = JSON.parse(request?.body ?? '{}') as DeliveryPayload;
    expect(body.acci.tenantId).toBe(tenants.beta.id);
    const alphaInstallations = await client.query(
      'SELECT id FROM plugin_installations WHERE tenant_id = $1',
      [tenants.alpha.id],
    );
    const alphaIds = new Set(alphaInstallations.rows.map((row) => row.id));
    const leaked = [fast, flaky, slow].flatMap((receiver) =>
      receiver.requests.filter(
        (r) => alphaIds.has(r.headers['x-acci-installation-id']) && r.body.includes(event.id),
      ),
    );
    expect(leaked).toEqual([]);
  });

  it('sends no table a plugin may not read', async () => {
    const event = hasuraEvent('users', 'INSERT', {
      new: userRow(tenants.alpha.id, 'r@alpha.test'),
    });
    await postEvent(server, event);
    expect((await deliveriesOf(event.id)).map((row) => row.plugin)).not.toContain('roles-only');
    const roles = hasuraEvent('roles', 'INSERT', {
      new: { id: crypto.randomUUID(), tenant_id: tenants.alpha.id, name: 'auditor' },
    });
    await postEvent(server, roles);
    expect((await deliveriesOf(roles.id)).map((row) => row.plugin)).toEqual(['roles-only']);
  });

  it('retries with backoff, then marks the delivery dead', async () => {
    const event = hasuraEvent('users', 'DELETE', {
      old: userRow(tenants.alpha.id, 'd@alpha.test'),
    });
    await postEvent(server, event);
    const delivery = (await deliveriesOf(event.id)).find((row) => row.plugin === 'flaky');
    await waitFor('the dead delivery', async () => {
      const rows = await deliveriesOf(event.id);
      return rows.find((row) => row.plugin === 'flaky' && row.status === 'dead');
    });
    const attempts = await client.query(
      'SELECT attempt, outcome, status_code FROM plugin_delivery_attempts WHERE delivery_id = $1 ORDER BY attempt',
      [delivery.id],
    );
    expect(attempts.rows).toEqual(
      [1, 2, 3].map((attempt) => ({ attempt, outcome: 'failed', status_code: 500 })),
    );
    const sent = requestsFor(flaky, delivery.id);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((request) => request.headers['webhook-id']))).toEqual(
      new Set([delivery.id]),
    );

    const listed = await act(
      server,
      'listPluginDeliveries',
      { name: 'flaky', status: 'dead' },
      alpha,
    );
    const entry = (listed.body as unknown as Array<Record<string, unknown>>).find(
      (row) => row.id === delivery.id,
    );
    expect(entry).toMatchObject({
      status: 'dead',
      attempts: 3,
      lastStatusCode: 500,
      hook: 'users.delete',
    });
    expect(entry?.attemptLog).toHaveLength(3);
  });

  it('replays a dead delivery with the same message id', async () => {
    const [dead] = (
      await client.query("SELECT id FROM plugin_deliveries WHERE status = 'dead' LIMIT 1")
    ).rows;
    flaky.behave(() => ({ status: 204 }));
    const reply = await act(server, 'replayDelivery', { deliveryId: dead.id }, alpha);
    expect(reply.body).toMatchObject({ id: dead.id, status: 'pending', attempts: 0 });
    await waitFor('the replayed delivery', async () => {
      const result = await client.query('SELECT status FROM plugin_deliveries WHERE id = $1', [
        dead.id,
      ]);
      return result.rows[0].status === 'delivered' ? true : undefined;
    });
    const attempts = await client.query(
      'SELECT attempt, outcome FROM plugin_delivery_attempts WHERE delivery_id = $1 ORDER BY attempt',
      [dead.id],
    );
    expect(attempts.rows.at(-1)).toEqual({ attempt: 4, outcome: 'delivered' });
    expect(requestsFor(flaky, dead.id).at(-1)?.headers['webhook-id']).toBe(dead.id);
  });

  it('rejects replays of pending deliveries and of other tenants', async () => {
    const [delivered] = (
      await client.query(
        "SELECT id FROM plugin_deliveries WHERE status = 'delivered' AND tenant_id = $1 LIMIT 1",
        [tenants.alpha.id],
      )
    ).rows;
    const foreign = await act(server, 'replayDelivery', { deliveryId: delivered.id }, beta);
    expect(foreign.body.extensions?.code).toBe('not-found');
    await client.query(
      "UPDATE plugin_deliveries SET status = 'pending', next_attempt_at = now() + interval '1 hour' WHERE id = $1",
      [delivered.id],
    );
    const pending = await act(server, 'replayDelivery', { deliveryId: delivered.id }, alpha);
    expect(pending.body.extensions?.code).toBe('invalid-delivery-status');
  });

  it('keeps a slow plugin from delaying another', async () => {
    slow.behave(() => ({ status: 200, delayMs: 1500 }));
    const events = [1, 2, 3].map((n) =>
      hasuraEvent('users', 'INSERT', { new: userRow(tenants.alpha.id, `slow${n}@alpha.test`) }),
    );
    const posted = Date.now();
    for (const event of events) await postEvent(server, event);
    const ids = await idsOf(events, 'fast');
    await waitFor('the fast deliveries', () =>
      ids.every((id) => requestsFor(fast, id).length > 0) ? true : undefined,
    );
    const lastFast = Math.max(...ids.map((id) => requestsFor(fast, id)[0]?.receivedAt ?? 0));
    expect(lastFast - posted).toBeLessThan(1000);

    const slowIds = await idsOf(events, 'slow');
    const timedOut = await waitFor('a timed-out attempt', async () => {
      const result = await client.query(
        "SELECT error FROM plugin_delivery_attempts WHERE delivery_id = ANY($1) AND outcome = 'timeout'",
        [slowIds],
      );
      return result.rows[0];
    });
    expect(timedOut.error).toBe('no response within 1000 ms');
  });

  it('creates no deliveries for a disabled installation', async () => {
    await act(server, 'disablePlugin', { name: 'fast' }, alpha);
    const event = hasuraEvent('users', 'INSERT', {
      new: userRow(tenants.alpha.id, 'off@alpha.test'),
    });
    await postEvent(server, event);
    expect((await deliveriesOf(event.id)).map((row) => row.plugin)).toEqual(['flaky', 'slow']);
    await act(server, 'enablePlugin', { name: 'fast' }, alpha);
  });
});

describe('backoffDelayMs', () => {
  it('doubles the ceiling up to the maximum, with full jitter', () => {
    const top = () => 0.999999;
    expect(backoffDelayMs(1, 100, 1000, top)).toBe(99);
    expect(backoffDelayMs(2, 100, 1000, top)).toBe(199);
    expect(backoffDelayMs(4, 100, 1000, top)).toBe(799);
    expect(backoffDelayMs(9, 100, 1000, top)).toBe(999);
    expect(backoffDelayMs(3, 100, 1000, () => 0)).toBe(0);
    expect(backoffDelayMs(3, 100, 1000, () => 0.5)).toBe(200);
  });
});
