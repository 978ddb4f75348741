import type pg from 'pg';
import type { Log } from '../state.js';
import type { EventsConfig } from './config.js';
import type { EventTriggerDef, RetryConf } from './definition.js';
import {
  type Agents,
  createAgents,
  destroyAgents,
  invocationRecord,
  isSuccess,
  postWebhook,
  retryAfterSeconds,
  type WebhookResult,
} from './deliver.js';
import { type EventRow, fetchEvents, type Outcome, setOutcome, unlockEvents } from './fetch.js';
import { eventPayload, resolveHeaders, resolveWebhook } from './payload.js';
import { AttemptRecorder } from './recorder.js';

/** Seconds until an event of an unknown trigger is tried again, as in Hasura. */
const unknownTriggerRetrySeconds = 60;

/** Milliseconds `stop` waits for deliveries in flight before it unlocks their events. */
const shutdownGraceMs = 5000;

export interface WorkerDeps {
  pool: pg.Pool;
  config: EventsConfig;
  env: Readonly<Record<string, string | undefined>>;
  log: Log;
  /** The event triggers of the live metadata, by name. */
  triggers: () => ReadonlyMap<string, EventTriggerDef>;
}

/**
 * Decides what follows a failed attempt, as Hasura's `retryOrSetError` does: a positive
 * `Retry-After` always schedules another attempt, otherwise the event fails once `tries`
 * (attempts before this one) reaches `num_retries`.
 */
export function nextAfterFailure(tries: number, retry: RetryConf, result: WebhookResult): Outcome {
  const retryAfter = retryAfterSeconds(result);
  if (tries >= retry.numRetries && retryAfter === undefined) return { kind: 'error' };
  const delaySeconds = retryAfter ?? retry.intervalSec;
  return { kind: 'retry', at: new Date(Date.now() + delaySeconds * 1000) };
}

/**
 * Fetches due events in batches and delivers them with at most `httpPoolSize` requests in
 * flight. Several workers, in one process or many, may share a database: a fetch locks its
 * rows and skips rows that another fetch holds.
 */
export class EventWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private inFlight = 0;
  /** Ids of events fetched by this worker and not yet recorded. */
  private readonly held = new Set<string>();
  private wake: (() => void) | undefined;
  private readonly agents: Agents;
  private readonly recorder: AttemptRecorder;

  constructor(private readonly deps: WorkerDeps) {
    this.agents = createAgents(deps.config.httpPoolSize);
    this.recorder = new AttemptRecorder(deps.pool);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops fetching, waits briefly for deliveries in flight and unlocks the events still held. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    const deadline = Date.now() + shutdownGraceMs;
    while (this.inFlight > 0 && Date.now() < deadline) await this.pause(50);
    const unlocked = await unlockEvents(this.deps.pool, [...this.held]).catch(() => 0);
    if (unlocked > 0) this.deps.log({ level: 'info', type: 'events-unlocked', count: unlocked });
    destroyAgents(this.agents);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const triggers = [...this.deps.triggers().keys()];
      const free = this.deps.config.httpPoolSize - this.inFlight;
      if (triggers.length === 0 || free <= 0) {
        await this.pause(triggers.length === 0 ? this.deps.config.fetchIntervalMs : 1000);
        continue;
      }
      let rows: EventRow[] = [];
      try {
        const limit = Math.min(this.deps.config.fetchBatchSize, free);
        rows = await fetchEvents(
          this.deps.pool,
          triggers,
          limit,
          this.deps.config.lockTimeoutSeconds,
        );
      } catch (error) {
        if (!this.running) break;
        this.deps.log({ level: 'error', type: 'events-fetch-failed', error: messageOf(error) });
      }
      for (const row of rows) this.dispatch(row);
      if (rows.length === 0) await this.pause(this.deps.config.fetchIntervalMs);
    }
  }

  private dispatch(row: EventRow): void {
    this.inFlight += 1;
    this.held.add(row.id);
    this.process(row)
      .catch((error: unknown) => {
        if (!this.running) return;
        this.deps.log({
          level: 'error',
          type: 'event-record-failed',
          event_id: row.id,
          trigger_name: row.trigger_name,
          error: messageOf(error),
        });
      })
      .finally(() => {
        this.inFlight -= 1;
        this.held.delete(row.id);
        this.wake?.();
      });
  }

  private async process(row: EventRow): Promise<void> {
    const trigger = this.deps.triggers().get(row.trigger_name);
    let url: string;
    let headers: { name: string; value: string }[];
    try {
      if (trigger === undefined) throw new Error(`event trigger "${row.trigger_name}" not found`);
      url = resolveWebhook(trigger.webhook, this.deps.env);
      headers = resolveHeaders(trigger.headers, this.deps.env);
    } catch (error) {
      this.deps.log({
        level: 'error',
        type: 'event-not-deliverable',
        event_id: row.id,
        error: messageOf(error),
      });
      const at = new Date(Date.now() + unknownTriggerRetrySeconds * 1000);
      await setOutcome(this.deps.pool, row.id, { kind: 'retry', at });
      return;
    }
    const payload = eventPayload(row, trigger.retry);
    const body = JSON.stringify(payload);
    const timeoutMs = trigger.retry.timeoutSec * 1000;
    const result = await postWebhook(this.agents, { url, headers, body, timeoutMs });
    const record = invocationRecord(payload, trigger.headers, result, '2');
    const outcome: Outcome = isSuccess(result)
      ? { kind: 'delivered' }
      : nextAfterFailure(row.tries, trigger.retry, result);
    if (outcome.kind !== 'delivered') {
      this.deps.log({
        level: outcome.kind === 'error' ? 'error' : 'warn',
        type: outcome.kind === 'error' ? 'event-failed' : 'event-retry',
        event_id: row.id,
        trigger_name: row.trigger_name,
        status: record.status,
        tries: row.tries + 1,
      });
    }
    const invocation = { eventId: row.id, triggerName: row.trigger_name, ...record };
    await this.recorder.record(invocation, outcome);
  }

  /** Sleeps for `ms`, or until a delivery finishes or `stop` is called. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
