import { type EventsFixture, sleep, startEventsFixture } from './setup.js';

const retry = { num_retries: 0, interval_sec: 10, timeout_sec: 60 };

describe('event delivery under load', () => {
  let fixture: EventsFixture;

  beforeAll(async () => {
    fixture = await startEventsFixture('events_load', {
      t1: [
        {
          name: 't1_slow',
          definition: { enable_manual: false, insert: { columns: '*' } },
          retry_conf: retry,
          webhook: '{{EVENT_WEBHOOK_HANDLER}}/sleep_2s',
        },
      ],
      t2: [
        {
          name: 't2_flood',
          definition: { enable_manual: false, insert: { columns: '*' } },
          retry_conf: retry,
          webhook: '{{EVENT_WEBHOOK_HANDLER}}/flood',
        },
      ],
    });
  });

  afterAll(() => fixture.stop());

  it('delivers five slow events concurrently within ten seconds', async () => {
    const started = Date.now();
    await fixture.engine.sql(
      "INSERT INTO hge_tests.test_t1 SELECT n, 'slow' FROM generate_series(1, 5) AS n",
    );
    const events = await fixture.receiver.waitFor(5, { path: '/sleep_2s', timeoutMs: 10000 });
    expect(Date.now() - started).toBeLessThan(10000);
    expect(new Set(events.map((item) => item.body.event.data.new?.c1))).toEqual(
      new Set([1, 2, 3, 4, 5]),
    );
  }, 20000);

  it('delivers every one of 1000 rows inserted at once', async () => {
    await fixture.engine.sql(
      "INSERT INTO hge_tests.test_t2 SELECT n, 'flood' FROM generate_series(1, 1000) AS n",
    );
    const events = await fixture.receiver.waitFor(1000, { path: '/flood', timeoutMs: 60000 });
    const values = new Set(events.map((item) => item.body.event.data.new?.c1));
    expect(values.size).toBe(1000);
    await sleep(500);
    const pending = await fixture.engine.sql(
      "SELECT count(*)::int AS n FROM hdb_catalog.event_log WHERE trigger_name = 't2_flood' AND NOT delivered",
    );
    expect(pending.rows[0]?.n).toBe(0);
    expect(fixture.receiver.received.filter((item) => item.path === '/flood')).toHaveLength(1000);
  }, 90000);
});
