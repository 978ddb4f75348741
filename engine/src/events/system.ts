import type { Metadata } from '../metadata/types.js';
import { type CronTriggerDef, listCronTriggers } from '../scheduled/definition.js';
import { deleteFutureCronEvents } from '../scheduled/store.js';
import { ScheduledWorker } from '../scheduled/worker.js';
import type { InconsistentObject } from '../schema/model.js';
import type { EngineState } from '../state.js';
import { eventCatalogExists } from './catalog.js';
import { deleteExpiredEvents, runTriggerCleanups } from './cleanup.js';
import { type EventsConfig, eventsConfigFromEnv } from './config.js';
import { type EventTriggerDef, listEventTriggers } from './definition.js';
import { unlockStaleEvents } from './fetch.js';
import { syncEventTriggers } from './install.js';
import { EventWorker, messageOf } from './worker.js';

/** Milliseconds between runs of the housekeeping: stale locks, retention, cleanup schedules. */
const housekeepingIntervalMs = 60_000;

/**
 * Event triggers of one engine: keeps the SQL triggers in line with the metadata on every
 * activation and runs the delivery worker and its housekeeping between `start` and `stop`.
 */
export class EventSystem {
  readonly config: EventsConfig;
  private triggerCache: { metadata: Metadata; byName: Map<string, EventTriggerDef> } | undefined;
  private cronCache: { metadata: Metadata; byName: Map<string, CronTriggerDef> } | undefined;
  private readonly worker: EventWorker;
  private readonly scheduled: ScheduledWorker;
  private timer: NodeJS.Timeout | undefined;
  private housekeeping: Promise<void> = Promise.resolve();

  constructor(private readonly state: EngineState) {
    this.config = eventsConfigFromEnv(state.config.env);
    this.worker = new EventWorker({
      pool: state.pool,
      config: this.config,
      env: state.config.env,
      log: state.log,
      triggers: () => this.triggers(),
    });
    this.scheduled = new ScheduledWorker({
      pool: state.pool,
      config: this.config,
      env: state.config.env,
      log: state.log,
      cronTriggers: () => this.cronTriggers(),
    });
  }

  /** Returns the cron triggers of the live metadata by name, cached per metadata object. */
  cronTriggers(): ReadonlyMap<string, CronTriggerDef> {
    const metadata = this.state.metadata;
    if (this.cronCache?.metadata !== metadata) {
      this.cronCache = { metadata, byName: listCronTriggers(metadata) };
    }
    return this.cronCache.byName;
  }

  /** Returns the event triggers of the live metadata by name, cached per metadata object. */
  triggers(): ReadonlyMap<string, EventTriggerDef> {
    const metadata = this.state.metadata;
    if (this.triggerCache?.metadata !== metadata) {
      const byName = new Map(listEventTriggers(metadata).map((trigger) => [trigger.name, trigger]));
      this.triggerCache = { metadata, byName };
    }
    return this.triggerCache.byName;
  }

  /**
   * Installs the SQL triggers of newly activated metadata. A source that disappeared takes the
   * event catalog with it, as in Hasura. Failures become inconsistent objects.
   */
  async onActivate(previous: Metadata): Promise<InconsistentObject[]> {
    const metadata = this.state.metadata;
    const dropCatalog = previous.sources.length > 0 && metadata.sources.length === 0;
    try {
      await this.dropStaleCronEvents(previous);
      return await syncEventTriggers(this.state.pool, metadata, this.state.catalog, {
        stringify: this.state.config.stringifyNumericTypes,
        dropCatalog,
      });
    } catch (error) {
      this.state.log({
        level: 'error',
        type: 'event-trigger-install-failed',
        error: messageOf(error),
      });
      return [
        {
          type: 'event_trigger',
          name: 'event triggers',
          reason: `Inconsistent object: installing the event triggers failed: ${messageOf(error)}`,
          definition: null,
        },
      ];
    }
  }

  /** Deletes the upcoming events of cron triggers that were removed or rescheduled. */
  private async dropStaleCronEvents(previous: Metadata): Promise<void> {
    const before = listCronTriggers(previous);
    if (before.size === 0) return;
    const now = this.cronTriggers();
    for (const [name, trigger] of before) {
      if (now.get(name)?.schedule === trigger.schedule) continue;
      await deleteFutureCronEvents(this.state.pool, name);
    }
  }

  /** Unlocks events left locked by stopped engines, then starts delivering. */
  async start(): Promise<void> {
    await this.housekeep();
    this.worker.start();
    await this.scheduled.start();
    this.timer = setInterval(() => {
      this.housekeeping = this.housekeeping.then(() => this.housekeep());
    }, housekeepingIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.housekeeping;
    await this.scheduled.stop();
    await this.worker.stop();
  }

  private async housekeep(): Promise<void> {
    try {
      if (!(await eventCatalogExists(this.state.pool))) return;
      const unlocked = await unlockStaleEvents(this.state.pool, this.config.lockTimeoutSeconds);
      if (unlocked > 0)
        this.state.log({ level: 'warn', type: 'stale-events-unlocked', count: unlocked });
      if (this.config.retentionHours !== undefined) {
        await deleteExpiredEvents(this.state.pool, this.config.retentionHours, this.state.log);
      }
      await runTriggerCleanups(this.state.pool, [...this.triggers().values()], this.state.log);
    } catch (error) {
      this.state.log({
        level: 'error',
        type: 'events-housekeeping-failed',
        error: messageOf(error),
      });
    }
  }
}
