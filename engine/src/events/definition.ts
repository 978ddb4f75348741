import type { Metadata, QualifiedTable } from '../metadata/types.js';
import { qualify } from '../schema/resolve.js';
import { isRecord, type JsonObject } from '../util/json.js';

/** Columns of an operation spec: every column (`"*"`) or the listed ones. */
export type SubscribeColumns = '*' | string[];

/** One operation of a trigger: the columns that fire it and the columns sent in the payload. */
export interface OperationSpec {
  columns: SubscribeColumns;
  /** Columns of `data.old` and `data.new`; every column when left out. */
  payload: SubscribeColumns | undefined;
}

export type TriggerOperation = 'INSERT' | 'UPDATE' | 'DELETE';

export const triggerOperations: readonly TriggerOperation[] = ['INSERT', 'UPDATE', 'DELETE'];

/** `retry_conf` of an event trigger, with Hasura's defaults filled in. */
export interface RetryConf {
  numRetries: number;
  intervalSec: number;
  timeoutSec: number;
}

/** Hasura's `defaultRetryConf`: no retry, ten seconds apart, sixty seconds timeout. */
export const defaultRetryConf: RetryConf = { numRetries: 0, intervalSec: 10, timeoutSec: 60 };

/** A header sent with each delivery, its value given literally or named by a variable. */
export type HeaderConf = { name: string; value: string } | { name: string; value_from_env: string };

/** `cleanup_config` of an event trigger, with Hasura's defaults filled in. */
export interface CleanupConfig {
  schedule: string;
  batchSize: number;
  clearOlderThanHours: number;
  timeoutSeconds: number;
  cleanInvocationLogs: boolean;
  paused: boolean;
}

/** An event trigger of table metadata, resolved to the table it belongs to. */
export interface EventTriggerDef {
  name: string;
  source: string;
  table: QualifiedTable;
  operations: Partial<Record<TriggerOperation, OperationSpec>>;
  enableManual: boolean;
  retry: RetryConf;
  webhook: { value: string } | { fromEnv: string };
  headers: HeaderConf[];
  cleanup: CleanupConfig | undefined;
}

function readColumns(value: unknown): SubscribeColumns | undefined {
  if (value === '*') return '*';
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return undefined;
}

function readOperation(value: unknown): OperationSpec | undefined {
  if (!isRecord(value)) return undefined;
  return { columns: readColumns(value.columns) ?? '*', payload: readColumns(value.payload) };
}

function readNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function readRetryConf(value: unknown): RetryConf {
  const conf = isRecord(value) ? value : {};
  return {
    numRetries: readNumber(conf.num_retries, defaultRetryConf.numRetries),
    intervalSec: readNumber(conf.interval_sec, defaultRetryConf.intervalSec),
    timeoutSec: readNumber(conf.timeout_sec, defaultRetryConf.timeoutSec),
  };
}

export function readHeaders(value: unknown): HeaderConf[] {
  if (!Array.isArray(value)) return [];
  const headers: HeaderConf[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.name !== 'string') continue;
    if (typeof item.value_from_env === 'string') {
      headers.push({ name: item.name, value_from_env: item.value_from_env });
    } else if (typeof item.value === 'string') {
      headers.push({ name: item.name, value: item.value });
    }
  }
  return headers;
}

function readCleanup(value: unknown): CleanupConfig | undefined {
  if (!isRecord(value) || typeof value.schedule !== 'string') return undefined;
  if (typeof value.clear_older_than !== 'number') return undefined;
  return {
    schedule: value.schedule,
    batchSize: readNumber(value.batch_size, 10000),
    clearOlderThanHours: value.clear_older_than,
    timeoutSeconds: readNumber(value.timeout, 60),
    cleanInvocationLogs: value.clean_invocation_logs === true,
    paused: value.paused === true,
  };
}

/** Reads one `event_triggers` entry as Hasura stores it; undefined when it lacks a name. */
export function readEventTrigger(
  entry: unknown,
  source: string,
  table: QualifiedTable,
): EventTriggerDef | undefined {
  if (!isRecord(entry) || typeof entry.name !== 'string') return undefined;
  const definition: JsonObject = isRecord(entry.definition) ? entry.definition : {};
  const operations: EventTriggerDef['operations'] = {};
  for (const op of triggerOperations) {
    const spec = readOperation(definition[op.toLowerCase()]);
    if (spec !== undefined) operations[op] = spec;
  }
  const webhook =
    typeof entry.webhook_from_env === 'string'
      ? { fromEnv: entry.webhook_from_env }
      : { value: typeof entry.webhook === 'string' ? entry.webhook : '' };
  // NOTE: `request_transform` and `response_transform` are kept in the metadata but not applied.
  return {
    name: entry.name,
    source,
    table,
    operations,
    enableManual: definition.enable_manual === true,
    retry: readRetryConf(entry.retry_conf),
    webhook,
    headers: readHeaders(entry.headers),
    cleanup: readCleanup(entry.cleanup_config),
  };
}

/** Every event trigger of every Postgres source, in metadata order. */
export function listEventTriggers(metadata: Metadata): EventTriggerDef[] {
  const triggers: EventTriggerDef[] = [];
  for (const source of metadata.sources) {
    if (source.kind !== 'postgres' && source.kind !== undefined) continue;
    for (const entry of source.tables) {
      const table = qualify(entry.table);
      for (const item of entry.event_triggers ?? []) {
        const trigger = readEventTrigger(item, source.name, table);
        if (trigger !== undefined) triggers.push(trigger);
      }
    }
  }
  return triggers;
}
