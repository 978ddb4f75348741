import { EngineError } from '../errors.js';
import { type Operation, parseFailed, requireString, success } from '../metadata/api/context.js';
import { isRecord, type JsonObject } from '../util/json.js';
import { ensureScheduledCatalog } from './catalog.js';
import { parseCron } from './cron.js';
import { readScheduledRetryConf, storedRetryConf } from './definition.js';
import { deleteFutureCronEvents } from './store.js';

function cronTriggers(entries: unknown): JsonObject[] {
  return Array.isArray(entries) ? entries.filter(isRecord) : [];
}

function checkWebhook(args: JsonObject): void {
  const hasWebhook = typeof args.webhook === 'string';
  const hasEnv = typeof args.webhook_from_env === 'string';
  if (!hasWebhook && !hasEnv) throw parseFailed('key "webhook" not found');
}

/** `create_cron_trigger`: adds (or with `replace`, replaces) a trigger in `cron_triggers`. */
const createCronTrigger: Operation = async (context, args) => {
  const name = requireString(args, 'name');
  const schedule = requireString(args, 'schedule');
  checkWebhook(args);
  try {
    parseCron(schedule);
  } catch (error) {
    throw parseFailed(
      `invalid cron schedule: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof args.include_in_metadata !== 'boolean')
    throw parseFailed('key "include_in_metadata" not found');
  const existing = cronTriggers(context.draft.cron_triggers);
  const index = existing.findIndex((item) => item.name === name);
  if (index >= 0 && args.replace !== true) {
    throw new EngineError('already-exists', `cron trigger with name: ${name} already exists`, {
      path: '$.args',
    });
  }
  const stored: JsonObject = { name };
  for (const key of ['webhook', 'webhook_from_env', 'schedule', 'payload', 'headers']) {
    if (args[key] !== undefined && args[key] !== null) stored[key] = args[key];
  }
  stored.retry_conf = storedRetryConf(readScheduledRetryConf(args.retry_conf));
  stored.include_in_metadata = args.include_in_metadata;
  if (typeof args.comment === 'string') stored.comment = args.comment;
  const next = [...existing];
  if (index >= 0) next[index] = stored;
  else next.push(stored);
  context.draft.cron_triggers = next;
  context.changed = true;
  if (index >= 0) await deleteFutureCronEvents(context.state.pool, name);
  return success;
};

const deleteCronTrigger: Operation = async (context, args) => {
  const name = requireString(args, 'name');
  const existing = cronTriggers(context.draft.cron_triggers);
  if (!existing.some((item) => item.name === name)) {
    throw new EngineError('not-exists', `cron trigger with name: ${name} does not exist`, {
      path: '$.args',
    });
  }
  const next = existing.filter((item) => item.name !== name);
  if (next.length === 0) delete context.draft.cron_triggers;
  else context.draft.cron_triggers = next;
  context.changed = true;
  await deleteFutureCronEvents(context.state.pool, name);
  return success;
};

/** `create_scheduled_event`: a one-off event in `hdb_catalog.hdb_scheduled_events`. */
const createScheduledEvent: Operation = async (context, args) => {
  checkWebhook(args);
  const scheduleAt = requireString(args, 'schedule_at');
  const time = new Date(scheduleAt);
  if (Number.isNaN(time.getTime())) throw parseFailed(`could not parse timestamp: ${scheduleAt}`);
  const webhookConf =
    typeof args.webhook === 'string' ? args.webhook : { from_env: args.webhook_from_env };
  await ensureScheduledCatalog(context.state.pool);
  const inserted = await context.state.pool.query<{ id: string }>(
    `INSERT INTO hdb_catalog.hdb_scheduled_events
       (webhook_conf, scheduled_time, retry_conf, payload, header_conf, comment)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      JSON.stringify(webhookConf),
      time.toISOString(),
      JSON.stringify(storedRetryConf(readScheduledRetryConf(args.retry_conf))),
      JSON.stringify(args.payload ?? null),
      JSON.stringify(Array.isArray(args.headers) ? args.headers : []),
      typeof args.comment === 'string' ? args.comment : null,
    ],
  );
  return { event_id: inserted.rows[0]?.id };
};

/** `delete_scheduled_event`: removes a one-off or cron event and its invocation logs. */
const deleteScheduledEvent: Operation = async (context, args) => {
  const eventId = requireString(args, 'event_id');
  const type = requireString(args, 'type');
  if (type !== 'one_off' && type !== 'cron')
    throw parseFailed(`unknown scheduled event type "${type}"`);
  const table =
    type === 'cron' ? 'hdb_catalog.hdb_cron_events' : 'hdb_catalog.hdb_scheduled_events';
  await ensureScheduledCatalog(context.state.pool);
  const deleted = await context.state.pool.query(`DELETE FROM ${table} WHERE id = $1`, [eventId]);
  if ((deleted.rowCount ?? 0) === 0) {
    throw new EngineError('not-exists', `scheduled event with id: ${eventId} does not exist`, {
      path: '$.args',
    });
  }
  return success;
};

export const scheduledOperations: Record<string, Operation> = {
  create_cron_trigger: createCronTrigger,
  delete_cron_trigger: deleteCronTrigger,
  create_scheduled_event: createScheduledEvent,
  delete_scheduled_event: deleteScheduledEvent,
};
