import { nextCronTime, nextCronTimes, parseCron } from '../../src/scheduled/cron.js';
import { type EventsFixture, sleep, startEventsFixture } from './setup.js';

describe('cron schedule', () => {
  const at = (text: string) => new Date(text);

  it('steps minutes and hours', () => {
    const times = nextCronTimes(parseCron('*/15 9-10 * * *'), at('2024-03-01T10:40:10Z'), 3);
    expect(times.map((time) => time.toISOString())).toEqual([
      '2024-03-01T10:45:00.000Z',
      '2024-03-02T09:00:00.000Z',
      '2024-03-02T09:15:00.000Z',
    ]);
  });

  it('matches either day field when both are restricted', () => {
    // 2024-03-01 is a Friday; the 15th or any Monday.
    const times = nextCronTimes(parseCron('0 0 15 * MON'), at('2024-03-01T00:00:00Z'), 3);
    expect(times.map((time) => time.toISOString().slice(0, 10))).toEqual([
      '2024-03-04',
      '2024-03-11',
      '2024-03-15',
    ]);
  });

  it('finds 29 February and treats 7 as Sunday', () => {
    expect(nextCronTime(parseCron('0 12 29 2 *'), at('2024-03-01T00:00:00Z')).toISOString()).toBe(
      '2028-02-29T12:00:00.000Z',
    );
    expect(nextCronTime(parseCron('0 0 * * 7'), at('2024-03-01T00:00:00Z')).getUTCDay()).toBe(0);
  });

  it('rejects invalid schedules', () => {
    expect(() => parseCron('* * * *')).toThrow('expected 5 fields');
    expect(() => parseCron('60 * * * *')).toThrow('minute 60 is outside 0-59');
    expect(() => parseCron('* * * FOO *')).toThrow('invalid month "FOO"');
  });
});

describe('cron triggers and scheduled events', () => {
  let fixture: EventsFixture;

  beforeAll(async () => {
    fixture = await startEventsFixture(
      'events_scheduled',
      {},
      { HASURA_GRAPHQL_SCHEDULED_EVENTS_FETCH_INTERVAL: '200' },
    );
  });

  afterAll(() => fixture.stop());

  it('generates cron events and delivers Hasura payload', async () => {
    const { engine, receiver } = fixture;
    const created = await engine.admin({
      type: 'create_cron_trigger',
      args: {
        name: 'every_minute',
        webhook: '{{EVENT_WEBHOOK_HANDLER}}/cron',
        schedule: '* * * * *',
        payload: { hello: 'cron' },
        include_in_metadata: true,
        comment: 'test cron',
      },
    });
    expect(created).toEqual({ status: 200, body: { message: 'success' } });
    let upcoming = 0;
    for (let i = 0; i < 25 && upcoming < 100; i += 1) {
      await sleep(200);
      const counted = await engine.sql(
        "SELECT count(*)::int AS n FROM hdb_catalog.hdb_cron_events WHERE trigger_name = 'every_minute' AND status = 'scheduled'",
      );
      upcoming = counted.rows[0]?.n ?? 0;
    }
    expect(upcoming).toBe(100);

    // Make the earliest event due now instead of waiting for the next minute.
    const due = await engine.sql(
      `UPDATE hdb_catalog.hdb_cron_events SET scheduled_time = date_trunc('second', now()) - interval '1 second'
        WHERE id = (SELECT id FROM hdb_catalog.hdb_cron_events WHERE trigger_name = 'every_minute'
                     ORDER BY scheduled_time LIMIT 1)
        RETURNING id, scheduled_time`,
    );
    const [event] = await receiver.waitFor(1, { path: '/cron', timeoutMs: 10000 });
    expect(event?.body).toEqual({
      id: due.rows[0]?.id,
      name: 'every_minute',
      scheduled_time: (due.rows[0]?.scheduled_time as Date | undefined)
        ?.toISOString()
        .replace('.000Z', 'Z'),
      payload: { hello: 'cron' },
      comment: 'test cron',
    });
    await sleep(300);
    const status = await engine.sql(
      'SELECT status, tries FROM hdb_catalog.hdb_cron_events WHERE id = $1',
      [due.rows[0]?.id],
    );
    expect(status.rows[0]).toEqual({ status: 'delivered', tries: 1 });
    const logs = await engine.sql(
      'SELECT status FROM hdb_catalog.hdb_cron_event_invocation_logs WHERE event_id = $1',
      [due.rows[0]?.id],
    );
    expect(logs.rows).toEqual([{ status: 200 }]);
  });

  it('deletes a cron trigger with its upcoming events', async () => {
    const { engine } = fixture;
    const deleted = await engine.admin({
      type: 'delete_cron_trigger',
      args: { name: 'every_minute' },
    });
    expect(deleted.status).toBe(200);
    const left = await engine.sql(
      "SELECT count(*)::int AS n FROM hdb_catalog.hdb_cron_events WHERE trigger_name = 'every_minute' AND status = 'scheduled'",
    );
    expect(left.rows[0]?.n).toBe(0);
    const again = await engine.admin({
      type: 'delete_cron_trigger',
      args: { name: 'every_minute' },
    });
    expect(again.body).toMatchObject({ code: 'not-exists' });
  });

  it('delivers a one-off scheduled event and retries a failing one', async () => {
    const { engine, receiver } = fixture;
    const ok = await engine.admin({
      type: 'create_scheduled_event',
      args: {
        webhook: '{{EVENT_WEBHOOK_HANDLER}}/one-off',
        schedule_at: new Date().toISOString(),
        payload: { n: 1 },
        comment: 'one off',
      },
    });
    const okId = (ok.body as { event_id: string }).event_id;
    const failing = await engine.admin({
      type: 'create_scheduled_event',
      args: {
        webhook: '{{EVENT_WEBHOOK_HANDLER}}/fail',
        schedule_at: new Date().toISOString(),
        retry_conf: { num_retries: 1, retry_interval_seconds: 1 },
      },
    });
    const failingId = (failing.body as { event_id: string }).event_id;

    const [delivered] = await receiver.waitFor(1, { path: '/one-off', timeoutMs: 10000 });
    expect(delivered?.body.id).toBe(okId);
    expect(delivered?.body.payload).toEqual({ n: 1 });
    expect(delivered?.body.comment).toBe('one off');
    expect(delivered?.body.name).toBeUndefined();
    expect(delivered?.body.created_at).toMatch(/Z$/);

    await receiver.waitFor(2, { path: '/fail', timeoutMs: 15000 });
    for (let i = 0; i < 25; i += 1) {
      const state = await engine.sql(
        'SELECT status FROM hdb_catalog.hdb_scheduled_events WHERE id = $1',
        [failingId],
      );
      if (state.rows[0]?.status === 'error') break;
      await sleep(200);
    }
    const final = await engine.sql(
      'SELECT status, tries FROM hdb_catalog.hdb_scheduled_events WHERE id = $1',
      [failingId],
    );
    expect(final.rows[0]).toEqual({ status: 'error', tries: 2 });
  }, 40000);

  it('marks an event past its tolerance as dead', async () => {
    const { engine } = fixture;
    const created = await engine.admin({
      type: 'create_scheduled_event',
      args: {
        webhook: '{{EVENT_WEBHOOK_HANDLER}}/too-late',
        schedule_at: new Date(Date.now() - 3600 * 1000).toISOString(),
        retry_conf: { tolerance_seconds: 60 },
      },
    });
    const id = (created.body as { event_id: string }).event_id;
    let status = '';
    for (let i = 0; i < 25 && status !== 'dead'; i += 1) {
      await sleep(200);
      const row = await engine.sql(
        'SELECT status FROM hdb_catalog.hdb_scheduled_events WHERE id = $1',
        [id],
      );
      status = row.rows[0]?.status;
    }
    expect(status).toBe('dead');
    expect(fixture.receiver.received.filter((item) => item.path === '/too-late')).toHaveLength(0);
  });
});
