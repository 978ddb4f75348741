/** Settings of event delivery, read once from the engine's environment. */
export interface EventsConfig {
  /** Maximum deliveries in flight at once (`HASURA_GRAPHQL_EVENTS_HTTP_POOL_SIZE`). */
  httpPoolSize: number;
  /** Maximum events locked by one fetch (`HASURA_GRAPHQL_EVENTS_FETCH_BATCH_SIZE`). */
  fetchBatchSize: number;
  /** Pause in milliseconds after a fetch found nothing (`HASURA_GRAPHQL_EVENTS_FETCH_INTERVAL`). */
  fetchIntervalMs: number;
  /**
   * Seconds after which a lock counts as left behind by a stopped engine, so another fetch may
   * take the event (`ACCI_EVENTS_LOCK_TIMEOUT_SECONDS`; Hasura fixes this at 30 minutes).
   */
  lockTimeoutSeconds: number;
  /** Hours after which delivered and failed events are deleted (`ACCI_EVENTS_RETENTION_HOURS`). */
  retentionHours: number | undefined;
  /** Pause in milliseconds between fetches of due scheduled and cron events. */
  scheduledFetchIntervalMs: number;
  /** Maximum scheduled or cron events locked by one fetch. */
  scheduledFetchBatchSize: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function readPositive(env: Env, name: string, fallback: number, unit: string): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} is invalid: expected a positive number of ${unit}, got "${text}".`);
  }
  return value;
}

/**
 * Reads the event settings. The defaults are Hasura's: 100 deliveries at once, batches of 100,
 * one second between empty fetches and ten seconds between scheduled-event fetches.
 */
export function eventsConfigFromEnv(env: Env): EventsConfig {
  const retention = env.ACCI_EVENTS_RETENTION_HOURS?.trim();
  return {
    httpPoolSize: Math.floor(
      readPositive(env, 'HASURA_GRAPHQL_EVENTS_HTTP_POOL_SIZE', 100, 'requests'),
    ),
    fetchBatchSize: Math.floor(
      readPositive(env, 'HASURA_GRAPHQL_EVENTS_FETCH_BATCH_SIZE', 100, 'events'),
    ),
    fetchIntervalMs: readPositive(
      env,
      'HASURA_GRAPHQL_EVENTS_FETCH_INTERVAL',
      1000,
      'milliseconds',
    ),
    lockTimeoutSeconds: readPositive(env, 'ACCI_EVENTS_LOCK_TIMEOUT_SECONDS', 1800, 'seconds'),
    retentionHours:
      retention === undefined || retention === ''
        ? undefined
        : readPositive(env, 'ACCI_EVENTS_RETENTION_HOURS', 0, 'hours'),
    scheduledFetchIntervalMs: readPositive(
      env,
      'HASURA_GRAPHQL_SCHEDULED_EVENTS_FETCH_INTERVAL',
      10000,
      'milliseconds',
    ),
    scheduledFetchBatchSize: Math.floor(
      readPositive(env, 'HASURA_GRAPHQL_SCHEDULED_EVENTS_FETCH_BATCH_SIZE', 100, 'events'),
    ),
  };
}
