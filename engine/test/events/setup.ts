import { metadataWith, startTestEngine, type TestEngine } from '../engine-harness.js';
import { type Receiver, startReceiver } from './receiver.js';

/** Two plain tables in `hge_tests`, as Hasura's own event trigger tests use. */
export const eventTablesSql = `
  CREATE SCHEMA hge_tests;
  CREATE TABLE hge_tests.test_t1 (c1 int, c2 text);
  CREATE TABLE hge_tests.test_t2 (c1 int, c2 text);`;

export const table1 = { schema: 'hge_tests', name: 'test_t1' };
export const table2 = { schema: 'hge_tests', name: 'test_t2' };

/** Builds a trigger on every operation of a table that delivers to `path` of the receiver. */
export function allOperationsTrigger(
  name: string,
  path = '/',
  extra: Record<string, unknown> = {},
) {
  return {
    name,
    definition: {
      enable_manual: false,
      insert: { columns: '*' },
      update: { columns: '*' },
      delete: { columns: '*' },
    },
    retry_conf: { num_retries: 0, interval_sec: 10, timeout_sec: 60 },
    webhook: `{{EVENT_WEBHOOK_HANDLER}}${path}`,
    ...extra,
  };
}

export interface EventsFixture {
  engine: TestEngine;
  receiver: Receiver;
  stop(): Promise<void>;
}

/**
 * Starts a receiver and an engine whose metadata tracks `test_t1` and `test_t2` with the given
 * triggers. The engine polls every 100 ms so that tests do not wait a second per event.
 */
export async function startEventsFixture(
  label: string,
  triggers: { t1?: unknown[]; t2?: unknown[] },
  env: Record<string, string> = {},
): Promise<EventsFixture> {
  const receiver = await startReceiver();
  const metadata = metadataWith([
    { table: table1, event_triggers: triggers.t1 ?? [] },
    { table: table2, event_triggers: triggers.t2 ?? [] },
  ]);
  const engine = await startTestEngine(label, eventTablesSql, metadata, {
    EVENT_WEBHOOK_HANDLER: receiver.url,
    HASURA_GRAPHQL_EVENTS_FETCH_INTERVAL: '100',
    ...env,
  });
  return {
    engine,
    receiver,
    stop: async () => {
      await engine.stop();
      await receiver.close();
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
