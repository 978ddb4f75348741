import type pg from 'pg';
import { nextCronTime, parseCron } from '../scheduled/cron.js';
import type { Log } from '../state.js';
import type { CleanupConfig, EventTriggerDef } from './definition.js';

/** Events deleted per statement by the retention clean-up. */
const retentionBatchSize = 10000;

/**
 * Deletes delivered and failed events older than `hours`, with their invocation logs, in
 * batches. This is an engine setting (`ACCI_EVENTS_RETENTION_HOURS`); Hasura itself cleans
 * up only through `cleanup_config` on a trigger.
 */
export async function deleteExpiredEvents(pool: pg.Pool, hours: number, log: Log): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await pool.query(
      `WITH expired AS (
         SELECT id FROM hdb_catalog.event_log
          WHERE (delivered OR error) AND locked IS NULL
            AND created_at < now() - $1 * interval '1 hour'
          LIMIT $2 FOR UPDATE SKIP LOCKED),
       invocations AS (
         DELETE FROM hdb_catalog.event_invocation_logs WHERE event_id IN (SELECT id FROM expired))
       DELETE FROM hdb_catalog.event_log WHERE id IN (SELECT id FROM expired)`,
      [hours, retentionBatchSize],
    );
    const deleted = result.rowCount ?? 0;
    total += deleted;
    if (deleted < retentionBatchSize) break;
  }
  if (total > 0) log({ level: 'info', type: 'events-retention-deleted', count: total });
  return total;
}

/** The latest time at or before `now`, within the past day, at which `schedule` fired. */
function latestSlot(schedule: string, now: Date): Date | undefined {
  const parsed = parseCron(schedule);
  let latest: Date | undefined;
  let cursor = new Date(now.getTime() - 24 * 3600 * 1000);
  for (;;) {
    cursor = nextCronTime(parsed, cursor);
    if (cursor.getTime() > now.getTime()) return latest;
    latest = cursor;
  }
}

/**
 * Runs the `cleanup_config` of every trigger whose schedule fired since its last run. The row
 * of `hdb_catalog.hdb_event_log_cleanups` for a slot is the claim: only the engine that inserts
 * it runs that clean-up.
 */
export async function runTriggerCleanups(
  pool: pg.Pool,
  triggers: EventTriggerDef[],
  log: Log,
): Promise<void> {
  for (const trigger of triggers) {
    const cleanup = trigger.cleanup;
    if (cleanup === undefined || cleanup.paused) continue;
    let slot: Date | undefined;
    try {
      slot = latestSlot(cleanup.schedule, new Date());
    } catch (error) {
      log({
        level: 'error',
        type: 'event-cleanup-schedule-invalid',
        trigger_name: trigger.name,
        error: String(error),
      });
      continue;
    }
    if (slot === undefined) continue;
    const claimed = await pool.query<{ id: string }>(
      `INSERT INTO hdb_catalog.hdb_event_log_cleanups (trigger_name, scheduled_at, status)
       VALUES ($1, $2::timestamptz AT TIME ZONE 'UTC', 'scheduled') ON CONFLICT DO NOTHING RETURNING id`,
      [trigger.name, slot.toISOString()],
    );
    const id = claimed.rows[0]?.id;
    if (id === undefined) continue;
    const counts = await cleanTrigger(pool, trigger.name, cleanup);
    await pool.query(
      `UPDATE hdb_catalog.hdb_event_log_cleanups
          SET status = 'completed', deleted_event_logs = $2, deleted_event_invocation_logs = $3
        WHERE id = $1`,
      [id, counts.events, counts.invocations],
    );
    log({ level: 'info', type: 'event-cleanup-completed', trigger_name: trigger.name, ...counts });
  }
}

/** Deletes the trigger's old delivered and failed events in batches, as Hasura's cleaner does. */
async function cleanTrigger(
  pool: pg.Pool,
  triggerName: string,
  config: CleanupConfig,
): Promise<{ events: number; invocations: number }> {
  let events = 0;
  let invocations = 0;
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT set_config('statement_timeout', $1, true)", [
        String(config.timeoutSeconds * 1000),
      ]);
      const expired = await client.query<{ id: string }>(
        `SELECT id FROM hdb_catalog.event_log
          WHERE (delivered = true OR error = true) AND trigger_name = $1
            AND created_at < now() - $2 * interval '1 hour' AND locked IS NULL
          LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [triggerName, config.clearOlderThanHours, config.batchSize],
      );
      const ids = expired.rows.map((row) => row.id);
      if (config.cleanInvocationLogs) {
        const removed = await client.query(
          'DELETE FROM hdb_catalog.event_invocation_logs WHERE event_id = ANY($1::text[])',
          [ids],
        );
        invocations += removed.rowCount ?? 0;
      }
      const removed = await client.query(
        'DELETE FROM hdb_catalog.event_log WHERE id = ANY($1::text[])',
        [ids],
      );
      events += removed.rowCount ?? 0;
      await client.query('COMMIT');
      if (ids.length < config.batchSize) break;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  return { events, invocations };
}
