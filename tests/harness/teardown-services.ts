import { runOnServer } from './db.js';

/** Drops the template databases and stops every server the global setup started. */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis.acciHarness;
  if (state === undefined) return;
  for (const template of state.templates) {
    await runOnServer(state.postgresUrl, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  }
  for (const stop of state.stops.reverse()) await stop();
}
