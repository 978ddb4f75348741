import { type EventsFixture, sleep, startEventsFixture } from './setup.js';

function trigger(name: string, path: string, retry: Record<string, number>, ops = ['insert']) {
  const definition: Record<string, unknown> = { enable_manual: false };
  for (const op of ops) definition[op] = { columns: '*' };
  return { name, definition, retry_conf: retry, webhook: `{{EVENT_WEBHOOK_HANDLER}}${path}` };
}

async function eventState(fixture: EventsFixture, id: string | undefined) {
  const result = await fixture.engine.sql(
    'SELECT delivered, error, tries, locked FROM hdb_catalog.event_log WHERE id = $1',
    [id],
  );
  return result.rows[0];
}

async function invocations(fixture: EventsFixture, id: string | undefined) {
  const result = await fixture.engine.sql(
    'SELECT status, response FROM hdb_catalog.event_invocation_logs WHERE event_id = $1 ORDER BY created_at',
    [id],
  );
  return result.rows as {
    status: number | null;
    response: { type: string; data: { message?: string } };
  }[];
}

describe('event retries', () => {
  let fixture: EventsFixture;

  beforeAll(async () => {
    fixture = await startEventsFixture('events_retry', {
      t1: [trigger('t1_fail', '/fail', { num_retries: 4, interval_sec: 1, timeout_sec: 60 })],
      t2: [
        trigger('t2_timeout', '/sleep_2s', { num_retries: 2, interval_sec: 1, timeout_sec: 1 }),
        trigger(
          't2_retry_after',
          '/retry-after-once',
          { num_retries: 0, interval_sec: 10, timeout_sec: 60 },
          ['update'],
        ),
      ],
    });
  });

  afterAll(() => fixture.stop());

  it('retries num_retries times, then marks the event as an error', async () => {
    await fixture.engine.sql("INSERT INTO hge_tests.test_t1 VALUES (1, 'hello')");
    const attempts = await fixture.receiver.waitFor(5, { path: '/fail', timeoutMs: 25000 });
    expect(attempts.map((item) => item.body.delivery_info)).toEqual(
      [0, 1, 2, 3, 4].map((retry) => ({ max_retries: 4, current_retry: retry })),
    );
    const gaps = attempts.slice(1).map((item, index) => item.at - (attempts[index]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900);

    await sleep(2500);
    expect(fixture.receiver.received.filter((item) => item.path === '/fail')).toHaveLength(5);
    const id = attempts[0]?.body.id;
    expect(await eventState(fixture, id)).toEqual({
      delivered: false,
      error: true,
      tries: 5,
      locked: null,
    });
    const logged = await invocations(fixture, id);
    expect(logged.map((item) => item.status)).toEqual([500, 500, 500, 500, 500]);
    expect(logged.every((item) => item.response.type === 'client_error')).toBe(true);
  }, 40000);

  it('gives up on a handler slower than timeout_sec', async () => {
    await fixture.engine.sql("INSERT INTO hge_tests.test_t2 VALUES (1, 'slow')");
    const attempts = await fixture.receiver.waitFor(3, { path: '/sleep_2s', timeoutMs: 25000 });
    const id = attempts[0]?.body.id;
    for (let i = 0; i < 50; i += 1) {
      if ((await eventState(fixture, id))?.error === true) break;
      await sleep(200);
    }
    expect(await eventState(fixture, id)).toEqual({
      delivered: false,
      error: true,
      tries: 3,
      locked: null,
    });
    const logged = await invocations(fixture, id);
    expect(logged.map((item) => item.status)).toEqual([null, null, null]);
    expect(logged[0]?.response.type).toBe('client_error');
    expect(logged[0]?.response.data.message).toContain('timeout');
  }, 40000);

  it('honours Retry-After even with no retries configured', async () => {
    await fixture.engine.sql("UPDATE hge_tests.test_t2 SET c2 = 'again'");
    const attempts = await fixture.receiver.waitFor(2, {
      path: '/retry-after-once',
      timeoutMs: 15000,
    });
    expect(attempts[0]?.status).toBe(503);
    expect(attempts[1]?.status).toBe(200);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(attempts[1]?.body.delivery_info).toEqual({ max_retries: 0, current_retry: 1 });
    await sleep(300);
    const state = await eventState(fixture, attempts[0]?.body.id);
    expect(state?.delivered).toBe(true);
  }, 30000);
});
