import { adminSecret } from '../engine-harness.js';
import { type EventsFixture, sleep, startEventsFixture, table1, table2 } from './setup.js';

const manualTrigger = {
  name: 't1_manual',
  definition: { enable_manual: true, insert: { columns: '*' } },
  retry_conf: { num_retries: 0, interval_sec: 10, timeout_sec: 60 },
  webhook: '{{EVENT_WEBHOOK_HANDLER}}/manual',
};

describe('event trigger API', () => {
  let fixture: EventsFixture;

  beforeAll(async () => {
    fixture = await startEventsFixture('events_api', { t1: [manualTrigger] });
  });

  afterAll(() => fixture.stop());

  it('takes session variables from the x-hasura headers of a mutation', async () => {
    const { engine, receiver } = fixture;
    const result = await engine.graphql(
      'mutation { insert_hge_tests_test_t1(objects: [{c1: 10, c2: "from graphql"}]) { affected_rows } }',
      {
        headers: {
          'x-hasura-admin-secret': adminSecret,
          'x-hasura-role': 'admin',
          'x-hasura-user-id': '42',
        },
      },
    );
    expect(result.body.errors).toBeUndefined();
    const [event] = await receiver.waitFor(1, { path: '/manual' });
    expect(event?.body.event.session_variables).toEqual({
      'x-hasura-role': 'admin',
      'x-hasura-user-id': '42',
    });
  });

  it('records null session variables for plain SQL', async () => {
    const { engine, receiver } = fixture;
    await engine.sql("INSERT INTO hge_tests.test_t1 VALUES (11, 'from sql')");
    const events = await receiver.waitFor(2, { path: '/manual' });
    expect(events[1]?.body.event.session_variables).toBeNull();
  });

  it('invokes a manual trigger through both APIs', async () => {
    const { engine, receiver } = fixture;
    const metadataCall = await engine.admin({
      type: 'pg_invoke_event_trigger',
      args: { name: 't1_manual', source: 'default', payload: { c1: 5 } },
    });
    expect(metadataCall.status).toBe(200);
    const eventId = (metadataCall.body as { event_id: string }).event_id;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    const queryCall = await engine.admin(
      { type: 'invoke_event_trigger', args: { name: 't1_manual', payload: { c1: 6 } } },
      '/v1/query',
    );
    expect(queryCall.status).toBe(200);

    const events = await receiver.waitFor(4, { path: '/manual' });
    const manual = events.find((item) => item.body.id === eventId);
    expect(manual?.body.event.op).toBe('MANUAL');
    expect(manual?.body.event.data).toEqual({ old: null, new: { c1: 5 } });
    expect(manual?.body.event.session_variables).toEqual({ 'x-hasura-role': 'admin' });
  });

  it('rejects invoking a trigger without manual mode', async () => {
    const { engine } = fixture;
    const created = await engine.admin({
      type: 'pg_create_event_trigger',
      args: {
        name: 't2_auto',
        table: table2,
        insert: { columns: '*' },
        webhook: 'http://127.0.0.1:9/x',
      },
    });
    expect(created.status).toBe(200);
    const invoked = await engine.admin({
      type: 'pg_invoke_event_trigger',
      args: { name: 't2_auto', payload: {} },
    });
    expect(invoked.status).toBe(400);
    expect(invoked.body).toMatchObject({
      code: 'not-supported',
      error: 'manual mode is not enabled for event trigger',
    });
    const unknown = await engine.admin({
      type: 'pg_invoke_event_trigger',
      args: { name: 'nope', payload: {} },
    });
    expect(unknown.body).toMatchObject({
      code: 'not-exists',
      error: 'event trigger "nope" does not exist',
    });
  });

  it('creates and deletes triggers through /v1/query as Hasura does', async () => {
    const { engine, receiver } = fixture;
    const created = await engine.admin(
      {
        type: 'create_event_trigger',
        args: {
          name: 't2_query',
          table: table2,
          insert: { columns: '*' },
          update: { columns: ['c1'] },
          webhook: '{{EVENT_WEBHOOK_HANDLER}}/created',
          retry_conf: { num_retries: 1, interval_sec: 2 },
        },
      },
      '/v1/query',
    );
    expect(created).toEqual({ status: 200, body: { message: 'success' } });
    const functions = await engine.sql(
      "SELECT proname FROM pg_proc WHERE proname LIKE 'notify_hasura_t2_query_%' ORDER BY proname",
    );
    expect(functions.rows.map((row) => row.proname)).toEqual([
      'notify_hasura_t2_query_INSERT',
      'notify_hasura_t2_query_UPDATE',
    ]);

    await engine.sql("INSERT INTO hge_tests.test_t2 VALUES (1, 'new trigger')");
    const [event] = await receiver.waitFor(1, { path: '/created' });
    expect(event?.body.delivery_info).toEqual({ max_retries: 1, current_retry: 0 });

    const duplicate = await engine.admin(
      {
        type: 'create_event_trigger',
        args: { name: 't2_query', table: table2, insert: { columns: '*' }, webhook: 'http://x' },
      },
      '/v1/query',
    );
    expect(duplicate.body).toMatchObject({ code: 'already-exists' });

    const deleted = await engine.admin(
      { type: 'delete_event_trigger', args: { name: 't2_query' } },
      '/v1/query',
    );
    expect(deleted.status).toBe(200);
    const left = await engine.sql(
      "SELECT count(*)::int AS n FROM pg_proc WHERE proname LIKE 'notify_hasura_t2_query_%'",
    );
    expect(left.rows[0]?.n).toBe(0);
    const archived = await engine.sql(
      "SELECT bool_and(archived) AS all FROM hdb_catalog.event_log WHERE trigger_name = 't2_query'",
    );
    expect(archived.rows[0]?.all).toBe(true);
  });

  it('rejects a trigger without operations, with Hasura error', async () => {
    const response = await fixture.engine.admin(
      { type: 'create_event_trigger', args: { name: 't1_1', table: table1, webhook: 'http://x' } },
      '/v1/query',
    );
    expect(response).toEqual({
      status: 400,
      body: {
        error: 'atleast one amongst insert/update/delete/enable_manual spec must be provided',
        code: 'parse-failed',
        path: '$',
      },
    });
    const badColumn = await fixture.engine.admin({
      type: 'pg_create_event_trigger',
      args: { name: 't1_bad', table: table1, update: { columns: ['nope'] }, webhook: 'http://x' },
    });
    expect(badColumn.body).toMatchObject({
      code: 'not-exists',
      error: 'column "nope" does not exist',
    });
  });

  it('redelivers a failed event', async () => {
    const { engine, receiver } = fixture;
    const before = receiver.received.filter((item) => item.path === '/manual').length;
    const invoked = await engine.admin({
      type: 'pg_invoke_event_trigger',
      args: { name: 't1_manual', payload: { c1: 9 } },
    });
    const eventId = (invoked.body as { event_id: string }).event_id;
    await receiver.waitFor(before + 1, { path: '/manual' });
    await sleep(300);
    await engine.sql(
      "UPDATE hdb_catalog.event_log SET delivered = 'f', error = 't' WHERE id = $1",
      [eventId],
    );
    const redelivered = await engine.admin({
      type: 'pg_redeliver_event',
      args: { event_id: eventId },
    });
    expect(redelivered).toEqual({ status: 200, body: { message: 'success' } });
    const events = await receiver.waitFor(before + 2, { path: '/manual' });
    expect(events.filter((item) => item.body.id === eventId)).toHaveLength(2);
    const missing = await engine.admin({
      type: 'pg_redeliver_event',
      args: { event_id: 'no-such-event' },
    });
    expect(missing.body).toMatchObject({ code: 'not-exists', error: 'event not found' });
  });

  it('drops the event catalog when the metadata is cleared', async () => {
    const { engine } = fixture;
    const cleared = await engine.admin({ type: 'clear_metadata', args: {} }, '/v1/query');
    expect(cleared.status).toBe(200);
    const exists = await engine.sql(
      "SELECT to_regclass('hdb_catalog.event_log') IS NOT NULL AS found",
    );
    expect(exists.rows[0]?.found).toBe(false);
    const functions = await engine.sql(
      "SELECT count(*)::int AS n FROM pg_proc WHERE proname LIKE 'notify_hasura_%'",
    );
    expect(functions.rows[0]?.n).toBe(0);
  });
});
