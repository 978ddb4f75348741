import { type HeaderConf, readHeaders } from '../events/definition.js';
import type { Metadata } from '../metadata/types.js';
import { isRecord } from '../util/json.js';

/** `retry_conf` of a cron trigger or scheduled event, with Hasura's defaults filled in. */
export interface ScheduledRetryConf {
  numRetries: number;
  retryIntervalSeconds: number;
  timeoutSeconds: number;
  /** Events older than this when they come due are marked `dead` instead of delivered. */
  toleranceSeconds: number;
}

export const defaultScheduledRetryConf: ScheduledRetryConf = {
  numRetries: 0,
  retryIntervalSeconds: 10,
  timeoutSeconds: 60,
  toleranceSeconds: 21600,
};

/** A webhook given literally (with `{{NAME}}` templates) or by environment variable. */
export type WebhookConf = { value: string } | { fromEnv: string };

export interface CronTriggerDef {
  name: string;
  webhook: WebhookConf;
  schedule: string;
  payload: unknown;
  headers: HeaderConf[];
  retry: ScheduledRetryConf;
  comment: string | undefined;
}

function readNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function readScheduledRetryConf(value: unknown): ScheduledRetryConf {
  const conf = isRecord(value) ? value : {};
  const defaults = defaultScheduledRetryConf;
  return {
    numRetries: readNumber(conf.num_retries, defaults.numRetries),
    retryIntervalSeconds: readNumber(conf.retry_interval_seconds, defaults.retryIntervalSeconds),
    timeoutSeconds: readNumber(conf.timeout_seconds, defaults.timeoutSeconds),
    toleranceSeconds: readNumber(conf.tolerance_seconds, defaults.toleranceSeconds),
  };
}

/** The retry settings as Hasura stores them in metadata and in `hdb_scheduled_events`. */
export function storedRetryConf(conf: ScheduledRetryConf): Record<string, number> {
  return {
    num_retries: conf.numRetries,
    retry_interval_seconds: conf.retryIntervalSeconds,
    timeout_seconds: conf.timeoutSeconds,
    tolerance_seconds: conf.toleranceSeconds,
  };
}

/** Reads Hasura's stored webhook: a string, or `{from_env}` as `hdb_scheduled_events` keeps it. */
export function readWebhookConf(value: unknown, fromEnv: unknown): WebhookConf | undefined {
  if (typeof fromEnv === 'string') return { fromEnv };
  if (typeof value === 'string') return { value };
  if (isRecord(value) && typeof value.from_env === 'string') return { fromEnv: value.from_env };
  return undefined;
}

export function readCronTrigger(entry: unknown): CronTriggerDef | undefined {
  if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.schedule !== 'string') {
    return undefined;
  }
  const webhook = readWebhookConf(entry.webhook, entry.webhook_from_env);
  if (webhook === undefined) return undefined;
  return {
    name: entry.name,
    webhook,
    schedule: entry.schedule,
    payload: entry.payload ?? null,
    headers: readHeaders(entry.headers),
    retry: readScheduledRetryConf(entry.retry_conf),
    comment: typeof entry.comment === 'string' ? entry.comment : undefined,
  };
}

/** The cron triggers of the metadata (`cron_triggers`), by name. */
export function listCronTriggers(metadata: Metadata): Map<string, CronTriggerDef> {
  const entries = Array.isArray(metadata.cron_triggers) ? metadata.cron_triggers : [];
  const triggers = new Map<string, CronTriggerDef>();
  for (const entry of entries) {
    const trigger = readCronTrigger(entry);
    if (trigger !== undefined) triggers.set(trigger.name, trigger);
  }
  return triggers;
}
