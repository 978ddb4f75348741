import { allOperationsTrigger, type EventsFixture, sleep, startEventsFixture } from './setup.js';

describe('event trigger payloads', () => {
  let fixture: EventsFixture;

  beforeAll(async () => {
    fixture = await startEventsFixture('events_basic', {
      t1: [allOperationsTrigger('t1_all')],
      t2: [
        {
          name: 't2_insert',
          definition: { enable_manual: false, insert: { columns: '*' } },
          retry_conf: { num_retries: 0, interval_sec: 10, timeout_sec: 60 },
          webhook: '{{EVENT_WEBHOOK_HANDLER}}/insert-only',
        },
      ],
    });
  });

  afterAll(() => fixture.stop());

  it('delivers insert, update and delete with old and new rows', async () => {
    const { engine, receiver } = fixture;
    await engine.sql("INSERT INTO hge_tests.test_t1 VALUES (1, 'hello')");
    const [insert] = await receiver.waitFor(1);
    expect(insert?.body.event.op).toBe('INSERT');
    expect(insert?.body.event.data).toEqual({ old: null, new: { c1: 1, c2: 'hello' } });
    expect(insert?.body.trigger).toEqual({ name: 't1_all' });
    expect(insert?.body.table).toEqual({ schema: 'hge_tests', name: 'test_t1' });
    expect(insert?.body.delivery_info).toEqual({ max_retries: 0, current_retry: 0 });
    expect(insert?.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    expect(insert?.headers['content-type']).toBe('application/json');
    expect(insert?.headers['user-agent']).toMatch(/^hasura-graphql-engine\//);

    await engine.sql("UPDATE hge_tests.test_t1 SET c2 = 'world' WHERE c1 = 1");
    const update = (await receiver.waitFor(2))[1];
    expect(update?.body.event.op).toBe('UPDATE');
    expect(update?.body.event.data).toEqual({
      old: { c1: 1, c2: 'hello' },
      new: { c1: 1, c2: 'world' },
    });

    await engine.sql('DELETE FROM hge_tests.test_t1 WHERE c1 = 1');
    const remove = (await receiver.waitFor(3))[2];
    expect(remove?.body.event.op).toBe('DELETE');
    expect(remove?.body.event.data).toEqual({ old: { c1: 1, c2: 'world' }, new: null });
  });

  it('records the event and its invocation in the catalog', async () => {
    const { engine, receiver } = fixture;
    const before = receiver.received.length;
    await engine.sql("INSERT INTO hge_tests.test_t1 VALUES (7, 'logged')");
    const [delivered] = (await receiver.waitFor(before + 1)).slice(before);
    const id = delivered?.body.id;
    await sleep(300);
    const event = await engine.sql(
      'SELECT schema_name, table_name, trigger_name, delivered, error, tries, locked FROM hdb_catalog.event_log WHERE id = $1',
      [id],
    );
    expect(event.rows[0]).toEqual({
      schema_name: 'hge_tests',
      table_name: 'test_t1',
      trigger_name: 't1_all',
      delivered: true,
      error: false,
      tries: 1,
      locked: null,
    });
    const invocations = await engine.sql(
      'SELECT status, request, response FROM hdb_catalog.event_invocation_logs WHERE event_id = $1',
      [id],
    );
    expect(invocations.rows).toHaveLength(1);
    expect(invocations.rows[0]?.status).toBe(200);
    expect(invocations.rows[0]?.request.payload.id).toBe(id);
    expect(invocations.rows[0]?.request.version).toBe('2');
    expect(invocations.rows[0]?.response.type).toBe('webhook_response');
    expect(invocations.rows[0]?.response.data.status).toBe(200);
  });

  it('fires an insert-only trigger on inserts alone', async () => {
    const { engine, receiver } = fixture;
    await engine.sql("INSERT INTO hge_tests.test_t2 VALUES (1, 'a')");
    await engine.sql("UPDATE hge_tests.test_t2 SET c2 = 'b'");
    await engine.sql('DELETE FROM hge_tests.test_t2');
    await receiver.waitFor(1, { path: '/insert-only' });
    await sleep(1000);
    const received = receiver.received.filter((item) => item.path === '/insert-only');
    expect(received.map((item) => item.body.event.op)).toEqual(['INSERT']);
  });

  it('exports the triggers as stored in the metadata', async () => {
    const { engine } = fixture;
    const exported = await engine.admin({ type: 'export_metadata', args: {} });
    const tables = (
      exported.body as { sources: { tables: { event_triggers?: { name: string }[] }[] }[] }
    ).sources[0]?.tables;
    expect(tables?.[0]?.event_triggers?.map((trigger) => trigger.name)).toEqual(['t1_all']);
  });
});
