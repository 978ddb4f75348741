import { type EventsFixture, sleep, startEventsFixture } from './setup.js';

const retry = { num_retries: 0, interval_sec: 10, timeout_sec: 60 };

describe('event trigger columns', () => {
  let fixture: EventsFixture;

  beforeAll(async () => {
    fixture = await startEventsFixture(
      'events_columns',
      {
        t1: [
          {
            name: 't1_cols',
            definition: {
              enable_manual: false,
              insert: { columns: ['c1'] },
              update: { columns: ['c1'] },
              delete: { columns: '*' },
            },
            retry_conf: retry,
            webhook: '{{EVENT_WEBHOOK_HANDLER}}/cols',
          },
        ],
        t2: [
          {
            name: 't2_payload',
            definition: {
              enable_manual: false,
              insert: { columns: '*', payload: ['c1', 'c2'] },
              update: { columns: '*', payload: ['c1'] },
              delete: { columns: '*', payload: ['c2'] },
            },
            retry_conf: retry,
            webhook: '{{EVENT_WEBHOOK_HANDLER}}/payload',
            headers: [
              { name: 'X-Header-From-Value', value: 'MyValue' },
              { name: 'X-Header-From-Env', value_from_env: 'EVENT_HEADER_VALUE' },
            ],
          },
        ],
      },
      { EVENT_HEADER_VALUE: 'MyEnvValue' },
    );
  });

  afterAll(() => fixture.stop());

  it('fires an update only when a listed column changed', async () => {
    const { engine, receiver } = fixture;
    await engine.sql("INSERT INTO hge_tests.test_t1 VALUES (1, 'hello')");
    await receiver.waitFor(1, { path: '/cols' });
    await engine.sql("UPDATE hge_tests.test_t1 SET c2 = 'world' WHERE c1 = 1");
    await engine.sql('UPDATE hge_tests.test_t1 SET c1 = 2 WHERE c1 = 1');
    const [insert, update] = await receiver.waitFor(2, { path: '/cols' });
    expect(insert?.body.event.data.new).toEqual({ c1: 1, c2: 'hello' });
    expect(update?.body.event.op).toBe('UPDATE');
    expect(update?.body.event.data).toEqual({
      old: { c1: 1, c2: 'world' },
      new: { c1: 2, c2: 'world' },
    });
    await sleep(800);
    expect(receiver.received.filter((item) => item.path === '/cols')).toHaveLength(2);
  });

  it('fires when a listed column changes from null', async () => {
    const { engine, receiver } = fixture;
    await engine.sql("INSERT INTO hge_tests.test_t1 VALUES (NULL, 'null key')");
    await engine.sql("UPDATE hge_tests.test_t1 SET c1 = 3 WHERE c2 = 'null key'");
    const events = await receiver.waitFor(4, { path: '/cols' });
    // Events are delivered concurrently, so the insert and the update may arrive in any order.
    const update = events.find(
      (item) => item.body.event.op === 'UPDATE' && item.body.event.data.new?.c2 === 'null key',
    );
    expect(update?.body.event.data.old).toEqual({ c1: null, c2: 'null key' });
    expect(update?.body.event.data.new).toEqual({ c1: 3, c2: 'null key' });
  });

  it('sends only the payload columns', async () => {
    const { engine, receiver } = fixture;
    await engine.sql("INSERT INTO hge_tests.test_t2 VALUES (1, 'hello')");
    await receiver.waitFor(1, { path: '/payload' });
    await engine.sql("UPDATE hge_tests.test_t2 SET c2 = 'world' WHERE c1 = 1");
    await receiver.waitFor(2, { path: '/payload' });
    await engine.sql('DELETE FROM hge_tests.test_t2');
    const [insert, update, remove] = await receiver.waitFor(3, { path: '/payload' });
    expect(insert?.body.event.data).toEqual({ old: null, new: { c1: 1, c2: 'hello' } });
    expect(update?.body.event.data).toEqual({ old: { c1: 1 }, new: { c1: 1 } });
    expect(remove?.body.event.data).toEqual({ old: { c2: 'world' }, new: null });
  });

  it('sends headers from values and from the environment', async () => {
    const [first] = await fixture.receiver.waitFor(1, { path: '/payload' });
    expect(first?.headers['x-header-from-value']).toBe('MyValue');
    expect(first?.headers['x-header-from-env']).toBe('MyEnvValue');
    const logged = await fixture.engine.sql(
      'SELECT request FROM hdb_catalog.event_invocation_logs WHERE event_id = $1',
      [first?.body.id],
    );
    const headers = logged.rows[0]?.request.headers as Record<string, string>[];
    expect(headers).toContainEqual({ name: 'X-Header-From-Value', value: 'MyValue' });
    expect(headers).toContainEqual({
      name: 'X-Header-From-Env',
      value_from_env: 'EVENT_HEADER_VALUE',
    });
  });
});
