import type pg from 'pg';

/** One row of `hdb_catalog.event_log`, as a fetch locks it for delivery. */
export interface EventRow {
  id: string;
  schema_name: string;
  table_name: string;
  trigger_name: string;
  payload: unknown;
  tries: number;
  /** `created_at` as Hasura sends it: the stored timestamp with a `Z` appended. */
  created_at: string;
}

/** An attempt as `hdb_catalog.event_invocation_logs` records it. */
export interface Invocation {
  eventId: string;
  triggerName: string;
  status: number | null;
  request: unknown;
  response: unknown;
}

/** What happens to an event after an attempt. */
export type Outcome = { kind: 'delivered' } | { kind: 'retry'; at: Date } | { kind: 'error' };

/**
 * Locks up to `limit` undelivered events of `triggers` whose retry time has come, skipping rows
 * other engines hold. Events locked longer than `lockTimeoutSeconds` ago count as unlocked,
 * because the engine that locked them stopped before it finished.
 */
export async function fetchEvents(
  pool: pg.Pool,
  triggers: string[],
  limit: number,
  lockTimeoutSeconds: number,
): Promise<EventRow[]> {
  const result = await pool.query<EventRow>(
    `UPDATE hdb_catalog.event_log SET locked = now()
      WHERE id IN (
        SELECT l.id FROM hdb_catalog.event_log l
         WHERE l.delivered = 'f' AND l.error = 'f' AND l.archived = 'f'
           AND (l.locked IS NULL OR l.locked < now() - make_interval(secs => $3))
           AND (l.next_retry_at IS NULL OR l.next_retry_at <= now())
           AND l.trigger_name = ANY($2)
         ORDER BY locked NULLS FIRST, next_retry_at NULLS FIRST, created_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
      RETURNING id, schema_name, table_name, trigger_name, payload::json AS payload, tries,
        to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at`,
    [limit, triggers, lockTimeoutSeconds],
  );
  return result.rows;
}

/**
 * Records attempts in one transaction: one insert of invocation logs and one update of the
 * events, each with array parameters. Each event's `tries` grows by one, and it is unlocked and
 * marked delivered, failed or due again at `next_retry_at`, as Hasura's record steps do.
 */
export async function recordAttempts(
  pool: pg.Pool,
  attempts: { invocation: Invocation; outcome: Outcome }[],
): Promise<void> {
  if (attempts.length === 0) return;
  const ids = attempts.map((item) => item.invocation.eventId);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO hdb_catalog.event_invocation_logs (event_id, trigger_name, status, request, response)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::json[], $5::json[])`,
      [
        ids,
        attempts.map((item) => item.invocation.triggerName),
        attempts.map((item) => item.invocation.status),
        attempts.map((item) => JSON.stringify(item.invocation.request)),
        attempts.map((item) => JSON.stringify(item.invocation.response)),
      ],
    );
    await client.query(
      `UPDATE hdb_catalog.event_log AS l
          SET tries = l.tries + 1,
              delivered = l.delivered OR v.kind = 'delivered',
              error = l.error OR v.kind = 'error',
              next_retry_at = CASE WHEN v.kind = 'retry' THEN v.retry_at::timestamptz::timestamp END,
              locked = NULL
         FROM unnest($1::text[], $2::text[], $3::text[]) AS v(id, kind, retry_at)
        WHERE l.id = v.id`,
      [
        ids,
        attempts.map((item) => item.outcome.kind),
        attempts.map((item) =>
          item.outcome.kind === 'retry' ? item.outcome.at.toISOString() : null,
        ),
      ],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Sets the state of an event after an attempt and unlocks it. */
export async function setOutcome(
  db: pg.Pool | pg.PoolClient,
  eventId: string,
  outcome: Outcome,
): Promise<void> {
  switch (outcome.kind) {
    case 'delivered':
      await db.query(
        "UPDATE hdb_catalog.event_log SET delivered = 't', next_retry_at = NULL, locked = NULL WHERE id = $1",
        [eventId],
      );
      return;
    case 'error':
      await db.query(
        "UPDATE hdb_catalog.event_log SET error = 't', next_retry_at = NULL, locked = NULL WHERE id = $1",
        [eventId],
      );
      return;
    case 'retry':
      // next_retry_at is a timestamp without time zone in the session's zone, as Hasura writes it.
      await db.query(
        `UPDATE hdb_catalog.event_log SET next_retry_at = $1::timestamptz::timestamp, locked = NULL
          WHERE id = $2`,
        [outcome.at.toISOString(), eventId],
      );
      return;
    default: {
      const never: never = outcome;
      throw new TypeError(`Unknown outcome ${JSON.stringify(never)}.`);
    }
  }
}

/** Unlocks events this engine fetched but did not deliver, as Hasura does on shutdown. */
export async function unlockEvents(pool: pg.Pool, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await pool.query(
    'UPDATE hdb_catalog.event_log SET locked = NULL WHERE id = ANY($1::text[]) AND locked IS NOT NULL',
    [ids],
  );
  return result.rowCount ?? 0;
}

/**
 * Unlocks every event locked longer than `lockTimeoutSeconds` ago. Fetches already take such
 * events; unlocking them also shows them as pending to anyone reading the event log.
 */
export async function unlockStaleEvents(
  pool: pg.Pool,
  lockTimeoutSeconds: number,
): Promise<number> {
  const result = await pool.query(
    `UPDATE hdb_catalog.event_log SET locked = NULL
      WHERE locked < now() - make_interval(secs => $1)
        AND delivered = 'f' AND error = 'f' AND archived = 'f'`,
    [lockTimeoutSeconds],
  );
  return result.rowCount ?? 0;
}
