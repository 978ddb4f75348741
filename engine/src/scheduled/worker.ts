import type pg from 'pg';
import type { EventsConfig } from '../events/config.js';
import { readHeaders } from '../events/definition.js';
import {
  type Agents,
  createAgents,
  destroyAgents,
  invocationRecord,
  isSuccess,
  postWebhook,
} from '../events/deliver.js';
import type { Outcome } from '../events/fetch.js';
import { resolveHeaders, resolveWebhook } from '../events/payload.js';
import { messageOf, nextAfterFailure } from '../events/worker.js';
import type { Log } from '../state.js';
import { ensureScheduledCatalog } from './catalog.js';
import { type CronTriggerDef, readWebhookConf, type ScheduledRetryConf } from './definition.js';
import {
  fetchCronEvents,
  fetchOneOffEvents,
  generateCronEvents,
  recordScheduledAttempt,
  type ScheduledEventRow,
  setScheduledStatus,
  unlockStaleScheduled,
} from './store.js';

export interface ScheduledDeps {
  pool: pg.Pool;
  config: EventsConfig;
  env: Readonly<Record<string, string | undefined>>;
  log: Log;
  cronTriggers: () => ReadonlyMap<string, CronTriggerDef>;
}

/** `2024-01-01T00:00:00Z`: UTC with fractions only when there are any, as Hasura prints times. */
export function hasuraTime(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** Builds the body Hasura POSTs for a cron or one-off scheduled event. */
export function scheduledPayload(event: ScheduledEventRow, trigger: CronTriggerDef | undefined) {
  const payload: Record<string, unknown> = { id: event.id };
  if (trigger !== undefined) payload.name = trigger.name;
  payload.scheduled_time = hasuraTime(event.scheduledTime);
  payload.payload = trigger !== undefined ? trigger.payload : (event.payload ?? null);
  const comment = trigger !== undefined ? trigger.comment : event.comment;
  if (comment !== undefined && comment !== null) payload.comment = comment;
  if (event.kind === 'one_off') payload.created_at = hasuraTime(event.createdAt);
  return payload;
}

/**
 * Generates upcoming cron events and delivers due cron and one-off events every
 * `scheduledFetchIntervalMs`, with at most `httpPoolSize` requests in flight.
 */
export class ScheduledWorker {
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly agents: Agents;
  private stopped = false;

  constructor(private readonly deps: ScheduledDeps) {
    this.agents = createAgents(deps.config.httpPoolSize);
  }

  async start(): Promise<void> {
    await ensureScheduledCatalog(this.deps.pool);
    await unlockStaleScheduled(this.deps.pool, this.deps.config.lockTimeoutSeconds);
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tick;
    await Promise.allSettled([...this.inFlight]);
    destroyAgents(this.agents);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick = this.runOnce().finally(() =>
        this.schedule(this.deps.config.scheduledFetchIntervalMs),
      );
    }, delayMs);
  }

  /** Runs one round: tops up cron events, then locks and delivers what is due. */
  async runOnce(): Promise<void> {
    try {
      const triggers = this.deps.cronTriggers();
      await generateCronEvents(this.deps.pool, [...triggers.values()]);
      const free = this.deps.config.httpPoolSize - this.inFlight.size;
      if (free <= 0) return;
      const limit = Math.min(this.deps.config.scheduledFetchBatchSize, free);
      const due = [
        ...(triggers.size > 0
          ? await fetchCronEvents(this.deps.pool, [...triggers.keys()], limit)
          : []),
        ...(await fetchOneOffEvents(this.deps.pool, limit)),
      ];
      for (const event of due) {
        const delivery = this.deliver(event).catch((error: unknown) => {
          this.deps.log({
            level: 'error',
            type: 'scheduled-event-failed',
            event_id: event.id,
            error: messageOf(error),
          });
        });
        this.inFlight.add(delivery);
        void delivery.finally(() => this.inFlight.delete(delivery));
      }
    } catch (error) {
      if (!this.stopped) {
        this.deps.log({ level: 'error', type: 'scheduled-fetch-failed', error: messageOf(error) });
      }
    }
  }

  private async deliver(event: ScheduledEventRow): Promise<void> {
    const trigger =
      event.triggerName === undefined ? undefined : this.deps.cronTriggers().get(event.triggerName);
    if (event.kind === 'cron' && trigger === undefined) {
      await setScheduledStatus(this.deps.pool, event.kind, [event.id], 'scheduled');
      return;
    }
    const retry = (trigger?.retry ?? event.retry) as ScheduledRetryConf;
    if (Date.now() - event.scheduledTime.getTime() > retry.toleranceSeconds * 1000) {
      await setScheduledStatus(this.deps.pool, event.kind, [event.id], 'dead');
      return;
    }
    const webhook = trigger?.webhook ?? readWebhookConf(event.webhookConf, undefined);
    const headerConfs = trigger?.headers ?? readHeaders(event.headerConf);
    const payload = scheduledPayload(event, trigger);
    let url: string;
    let headers: { name: string; value: string }[];
    try {
      if (webhook === undefined) throw new Error('the event has no webhook');
      url = resolveWebhook(webhook, this.deps.env);
      headers = resolveHeaders(headerConfs, this.deps.env);
    } catch (error) {
      this.deps.log({
        level: 'error',
        type: 'scheduled-event-not-deliverable',
        event_id: event.id,
        error: messageOf(error),
      });
      await setScheduledStatus(this.deps.pool, event.kind, [event.id], 'error');
      return;
    }
    const result = await postWebhook(this.agents, {
      url,
      headers,
      body: JSON.stringify(payload),
      timeoutMs: retry.timeoutSeconds * 1000,
    });
    const retryConf = {
      numRetries: retry.numRetries,
      intervalSec: retry.retryIntervalSeconds,
      timeoutSec: retry.timeoutSeconds,
    };
    const outcome: Outcome = isSuccess(result)
      ? { kind: 'delivered' }
      : nextAfterFailure(event.tries, retryConf, result);
    const record = invocationRecord(payload, headerConfs, result, '1');
    await recordScheduledAttempt(this.deps.pool, event, record, outcome);
  }
}
