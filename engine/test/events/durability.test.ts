import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../tests/harness/db.js';
import { engineConfigFromEnv, type RunningEngine, startEngine } from '../../src/index.js';
import { adminSecret, metadataWith } from '../engine-harness.js';
import { type Receiver, startReceiver } from './receiver.js';
import { eventTablesSql, sleep, table1 } from './setup.js';

const metadata = metadataWith([
  {
    table: table1,
    event_triggers: [
      {
        name: 't1_durable',
        definition: { enable_manual: false, insert: { columns: '*' } },
        retry_conf: { num_retries: 0, interval_sec: 10, timeout_sec: 60 },
        webhook: '{{EVENT_WEBHOOK_HANDLER}}/durable',
      },
    ],
  },
]);

describe('event durability', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let receiver: Receiver;
  const running: RunningEngine[] = [];

  const start = async (): Promise<RunningEngine> => {
    const engine = await startEngine(
      engineConfigFromEnv({
        HASURA_GRAPHQL_DATABASE_URL: db.url,
        HASURA_GRAPHQL_ADMIN_SECRET: adminSecret,
        HASURA_GRAPHQL_SERVER_PORT: '0',
        HASURA_GRAPHQL_SERVER_HOST: '127.0.0.1',
        HASURA_GRAPHQL_EVENTS_FETCH_INTERVAL: '100',
        HASURA_GRAPHQL_EVENTS_FETCH_BATCH_SIZE: '20',
        EVENT_WEBHOOK_HANDLER: receiver.url,
      }),
    );
    running.push(engine);
    return engine;
  };

  const stop = async (engine: RunningEngine) => {
    running.splice(running.indexOf(engine), 1);
    await engine.close();
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    db = await createTestDatabase('events_durable', { migrated: false });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(eventTablesSql);
    const engine = await start();
    const response = await fetch(`${engine.url}/v1/metadata`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hasura-admin-secret': adminSecret },
      body: JSON.stringify({ type: 'replace_metadata', args: metadata }),
    });
    expect(response.status).toBe(200);
    await stop(engine);
  });

  afterAll(async () => {
    for (const engine of [...running]) await engine.close();
    await client.end();
    await db.drop();
    await receiver.close();
  });

  const durable = () => receiver.received.filter((item) => item.path === '/durable');

  it('delivers an event committed while no engine ran', async () => {
    await client.query("INSERT INTO hge_tests.test_t1 VALUES (1, 'while down')");
    await sleep(300);
    expect(durable()).toHaveLength(0);
    const engine = await start();
    const [event] = await receiver.waitFor(1, { path: '/durable' });
    expect(event?.body.event.data.new).toEqual({ c1: 1, c2: 'while down' });
    await stop(engine);
  });

  it('takes over an event locked by an engine that died', async () => {
    await client.query("INSERT INTO hge_tests.test_t1 VALUES (2, 'stale lock')");
    await client.query(
      "UPDATE hdb_catalog.event_log SET locked = now() - interval '2 hours' WHERE payload->'data'->'new'->>'c1' = '2'",
    );
    const engine = await start();
    const events = await receiver.waitFor(2, { path: '/durable' });
    expect(events[1]?.body.event.data.new).toEqual({ c1: 2, c2: 'stale lock' });
    await stop(engine);
  });

  it('delivers each event once with two engines on one database', async () => {
    const before = durable().length;
    await Promise.all([start(), start()]);
    await client.query(
      "INSERT INTO hge_tests.test_t1 SELECT n, 'shared' FROM generate_series(100, 399) AS n",
    );
    await receiver.waitFor(before + 300, { path: '/durable', timeoutMs: 30000 });
    await sleep(1500);
    const shared = durable().filter((item) => item.body.event.data.new?.c2 === 'shared');
    expect(shared).toHaveLength(300);
    expect(new Set(shared.map((item) => item.body.id)).size).toBe(300);
    const logged = await client.query(
      "SELECT count(*)::int AS n FROM hdb_catalog.event_invocation_logs WHERE trigger_name = 't1_durable'",
    );
    expect(logged.rows[0]?.n).toBe(before + 300);
  }, 60000);
});
