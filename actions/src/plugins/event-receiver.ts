import { coreTables, type HookName } from '@acci/plugin-sdk';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ActionError } from '../errors.js';
import type { PluginDependencies } from './installations.js';

const rowSchema = z.record(z.string(), z.unknown());

/** The event payload Hasura v2 posts to an event trigger's webhook. */
export const hasuraEventSchema = z.object({
  id: z.string().min(1).max(200),
  created_at: z.string(),
  event: z.looseObject({
    session_variables: z.record(z.string(), z.string()).nullish(),
    op: z.enum(['INSERT', 'UPDATE', 'DELETE', 'MANUAL']),
    data: z.object({ old: rowSchema.nullable(), new: rowSchema.nullable() }),
  }),
  delivery_info: z.object({ max_retries: z.number(), current_retry: z.number() }).optional(),
  trigger: z.object({ name: z.string() }),
  table: z.object({ schema: z.string(), name: z.string() }),
});

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Column names that hold secrets; they are dropped before a row is stored or sent. */
const secretColumn = /(^password_hash$|_encrypted$|^token_hash$)/;

function withoutSecrets(row: Record<string, unknown> | null): Record<string, unknown> | null {
  if (row === null) return null;
  return Object.fromEntries(Object.entries(row).filter(([name]) => !secretColumn.test(name)));
}

/**
 * Handles `POST /events`, the webhook of the core tables' event triggers. Stores one delivery
 * for every enabled installation of the row's tenant that subscribes to the hook and may read
 * the table, then responds 200 without waiting for the plugins. A repeated event id adds
 * nothing, so Hasura's own retries of this call are harmless.
 */
export function createEventReceiver(deps: PluginDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const parsed = hasuraEventSchema.safeParse(request.body);
    if (!parsed.success) {
      throw new ActionError(
        'validation-failed',
        `The body is not a Hasura event payload: ${parsed.error.issues[0]?.path.join('.')} ` +
          `${parsed.error.issues[0]?.message}. Point only event triggers at /events.`,
      );
    }
    const payload = parsed.data;
    if (payload.event.op === 'MANUAL') {
      response.json({ deliveries: 0 });
      return;
    }

    const table = payload.table.name;
    if (payload.table.schema !== 'public' || !(coreTables as readonly string[]).includes(table)) {
      throw new ActionError(
        'validation-failed',
        `Events of "${payload.table.schema}.${table}" do not reach plugins. ` +
          `Add event triggers only to ${coreTables.join(', ')}.`,
      );
    }

    const row = payload.event.data.new ?? payload.event.data.old ?? {};
    const tenantId = table === 'tenants' ? row.id : row.tenant_id;
    if (typeof tenantId !== 'string' || !uuidPattern.test(tenantId)) {
      throw new ActionError(
        'validation-failed',
        `The ${table} row of event "${payload.id}" has no tenant id. Send every column of the row.`,
      );
    }
    response.locals.context.tenantId = tenantId;

    const hook = `${table}.${payload.event.op.toLowerCase()}` as HookName;
    const stored = {
      ...payload,
      event: {
        ...payload.event,
        data: {
          old: withoutSecrets(payload.event.data.old),
          new: withoutSecrets(payload.event.data.new),
        },
      },
    };
    const result = await deps.pool.query(
      `INSERT INTO plugin_deliveries (tenant_id, installation_id, hook, event_id, payload,
                                      max_attempts)
       SELECT $1, i.id, $2, $3, $4, $5
         FROM plugin_installations i JOIN plugins p ON p.id = i.plugin_id
        WHERE i.tenant_id = $1 AND i.enabled AND p.hooks ? $2
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(p.requested_permissions) AS grant_entry
                       WHERE grant_entry ->> 'resource' = $6 AND grant_entry -> 'actions' ? 'read')
       ON CONFLICT (installation_id, event_id) DO NOTHING`,
      [
        tenantId,
        hook,
        payload.id,
        JSON.stringify(stored),
        deps.plugins.delivery.maxAttempts,
        table,
      ],
    );
    if ((result.rowCount ?? 0) > 0) deps.wakeWorker();
    response.json({ deliveries: result.rowCount ?? 0 });
  };
}
