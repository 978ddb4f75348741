import type { Operation } from '../metadata/api/context.js';
import { scheduledOperations } from '../scheduled/api.js';
import { eventTriggerOperations } from './api.js';

/** Metadata and query API operations of event triggers, cron triggers and scheduled events. */
export const eventOperations: Record<string, Operation> = {
  ...eventTriggerOperations,
  ...scheduledOperations,
};
