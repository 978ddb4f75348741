import type pg from 'pg';
import type { Outcome } from '../events/fetch.js';
import { type CronSchedule, nextCronTimes, parseCron } from './cron.js';
import {
  type CronTriggerDef,
  readScheduledRetryConf,
  type ScheduledRetryConf,
} from './definition.js';

/** Cron events kept scheduled ahead per trigger, as Hasura's generator keeps them. */
const upcomingCronEvents = 100;

export type ScheduledKind = 'cron' | 'one_off';

const tables: Record<ScheduledKind, { events: string; logs: string }> = {
  cron: {
    events: 'hdb_catalog.hdb_cron_events',
    logs: 'hdb_catalog.hdb_cron_event_invocation_logs',
  },
  one_off: {
    events: 'hdb_catalog.hdb_scheduled_events',
    logs: 'hdb_catalog.hdb_scheduled_event_invocation_logs',
  },
};

/** A due scheduled event, locked for delivery. */
export interface ScheduledEventRow {
  kind: ScheduledKind;
  id: string;
  /** Cron trigger name; undefined for one-off events. */
  triggerName: string | undefined;
  scheduledTime: Date;
  tries: number;
  createdAt: Date;
  /** One-off events carry their own configuration. */
  webhookConf: unknown;
  headerConf: unknown;
  retry: ScheduledRetryConf | undefined;
  payload: unknown;
  comment: string | null;
}

/**
 * Inserts the next cron events of every trigger with fewer than 100 upcoming ones. The unique
 * index on scheduled events makes concurrent generators insert each time once.
 */
export async function generateCronEvents(pool: pg.Pool, triggers: CronTriggerDef[]): Promise<void> {
  if (triggers.length === 0) return;
  const stats = await pool.query<{ trigger_name: string; upcoming: number; latest: Date }>(
    `SELECT trigger_name, count(*)::int AS upcoming, max(scheduled_time) AS latest
       FROM hdb_catalog.hdb_cron_events
      WHERE status = 'scheduled' AND scheduled_time > now() AND trigger_name = ANY($1)
      GROUP BY trigger_name`,
    [triggers.map((trigger) => trigger.name)],
  );
  const byName = new Map(stats.rows.map((row) => [row.trigger_name, row]));
  for (const trigger of triggers) {
    const known = byName.get(trigger.name);
    if (known !== undefined && known.upcoming >= upcomingCronEvents) continue;
    let schedule: CronSchedule;
    try {
      schedule = parseCron(trigger.schedule);
    } catch {
      continue;
    }
    const from =
      known === undefined ? new Date() : new Date(Math.max(known.latest.getTime(), Date.now()));
    const times = nextCronTimes(schedule, from, upcomingCronEvents);
    await pool.query(
      `INSERT INTO hdb_catalog.hdb_cron_events (trigger_name, scheduled_time)
       SELECT $1, unnest($2::timestamptz[]) ON CONFLICT DO NOTHING`,
      [trigger.name, times.map((time) => time.toISOString())],
    );
  }
}

/** Deletes the upcoming cron events of a trigger that was removed or rescheduled. */
export async function deleteFutureCronEvents(pool: pg.Pool, triggerName: string): Promise<void> {
  await pool.query(
    "DELETE FROM hdb_catalog.hdb_cron_events WHERE trigger_name = $1 AND status = 'scheduled' AND scheduled_time > now()",
    [triggerName],
  );
}

const dueCondition = `status = 'scheduled'
  AND ((next_retry_at IS NULL AND scheduled_time <= now()) OR (next_retry_at IS NOT NULL AND next_retry_at <= now()))`;

/** Locks up to `limit` due cron events of the given triggers, skipping rows others hold. */
export async function fetchCronEvents(
  pool: pg.Pool,
  triggerNames: string[],
  limit: number,
): Promise<ScheduledEventRow[]> {
  const result = await pool.query<{
    id: string;
    trigger_name: string;
    scheduled_time: Date;
    tries: number;
    created_at: Date;
  }>(
    `UPDATE hdb_catalog.hdb_cron_events SET status = 'locked'
      WHERE id IN (SELECT id FROM hdb_catalog.hdb_cron_events
                    WHERE ${dueCondition} AND trigger_name = ANY($2)
                    ORDER BY scheduled_time LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id, trigger_name, scheduled_time, tries, created_at`,
    [limit, triggerNames],
  );
  return result.rows.map((row) => ({
    kind: 'cron',
    id: row.id,
    triggerName: row.trigger_name,
    scheduledTime: row.scheduled_time,
    tries: row.tries,
    createdAt: row.created_at,
    webhookConf: undefined,
    headerConf: undefined,
    retry: undefined,
    payload: undefined,
    comment: null,
  }));
}

/** Locks up to `limit` due one-off scheduled events. */
export async function fetchOneOffEvents(
  pool: pg.Pool,
  limit: number,
): Promise<ScheduledEventRow[]> {
  const result = await pool.query<{
    id: string;
    webhook_conf: unknown;
    scheduled_time: Date;
    retry_conf: unknown;
    payload: unknown;
    header_conf: unknown;
    tries: number;
    created_at: Date;
    comment: string | null;
  }>(
    `UPDATE hdb_catalog.hdb_scheduled_events SET status = 'locked'
      WHERE id IN (SELECT id FROM hdb_catalog.hdb_scheduled_events
                    WHERE ${dueCondition}
                    ORDER BY scheduled_time LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id, webhook_conf, scheduled_time, retry_conf, payload, header_conf, tries, created_at, comment`,
    [limit],
  );
  return result.rows.map((row) => ({
    kind: 'one_off',
    id: row.id,
    triggerName: undefined,
    scheduledTime: row.scheduled_time,
    tries: row.tries,
    createdAt: row.created_at,
    webhookConf: row.webhook_conf,
    headerConf: row.header_conf,
    retry: readScheduledRetryConf(row.retry_conf),
    payload: row.payload,
    comment: row.comment,
  }));
}

/** Records an attempt and the event's new status in one transaction. */
export async function recordScheduledAttempt(
  pool: pg.Pool,
  event: ScheduledEventRow,
  invocation: { status: number | null; request: unknown; response: unknown },
  outcome: Outcome,
): Promise<void> {
  const { events, logs } = tables[event.kind];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO ${logs} (event_id, status, request, response) VALUES ($1, $2, $3, $4)`,
      [
        event.id,
        invocation.status,
        JSON.stringify(invocation.request),
        JSON.stringify(invocation.response),
      ],
    );
    if (outcome.kind === 'retry') {
      await client.query(
        `UPDATE ${events} SET tries = tries + 1, status = 'scheduled', next_retry_at = $2 WHERE id = $1`,
        [event.id, outcome.at.toISOString()],
      );
    } else {
      const status = outcome.kind === 'delivered' ? 'delivered' : 'error';
      await client.query(`UPDATE ${events} SET tries = tries + 1, status = $2 WHERE id = $1`, [
        event.id,
        status,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Sets the status of a locked event that is not attempted: `dead` past its tolerance, `error`
 * when it cannot be sent, or back to `scheduled`.
 */
export async function setScheduledStatus(
  pool: pg.Pool,
  kind: ScheduledKind,
  ids: string[],
  status: 'dead' | 'error' | 'scheduled',
): Promise<void> {
  if (ids.length === 0) return;
  await pool.query(
    `UPDATE ${tables[kind].events} SET status = $2 WHERE id = ANY($1::text[]) AND status = 'locked'`,
    [ids, status],
  );
}

/**
 * Returns events left `locked` by a stopped engine to `scheduled`. The tables record no lock
 * time, so an event counts as left behind when it came due more than `olderThanSeconds` ago.
 */
export async function unlockStaleScheduled(pool: pg.Pool, olderThanSeconds: number): Promise<void> {
  for (const kind of ['cron', 'one_off'] as const) {
    await pool.query(
      `UPDATE ${tables[kind].events} SET status = 'scheduled'
        WHERE status = 'locked' AND coalesce(next_retry_at, scheduled_time) < now() - make_interval(secs => $1)`,
      [olderThanSeconds],
    );
  }
}
