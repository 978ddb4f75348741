import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { ActionError } from '../errors.js';
import { parseActionPayload } from '../http/action-payload.js';
import {
  type PluginDependencies,
  pluginCaller,
  pluginNameField,
  tenantIdField,
} from './installations.js';

/** Input of `listPluginDeliveries`: newest first, optionally of one plugin or status. */
export const listPluginDeliveriesInputSchema = z.object({
  name: pluginNameField.nullish(),
  status: z
    .enum(['pending', 'sending', 'delivered', 'dead'], {
      error: 'must be pending, sending, delivered or dead',
    })
    .nullish(),
  limit: z.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').nullish(),
  tenantId: tenantIdField,
});

/** Input of `replayDelivery`. */
export const replayDeliveryInputSchema = z.object({
  deliveryId: z.uuid({ error: 'must be a delivery id (UUID)' }),
  tenantId: tenantIdField,
});

const deliveryColumns = `d.id, d.installation_id AS "installationId", i.plugin_name AS "pluginName",
  d.hook, d.event_id AS "eventId", d.status, d.attempts, d.max_attempts AS "maxAttempts",
  d.next_attempt_at AS "nextAttemptAt", d.last_status_code AS "lastStatusCode",
  d.last_error AS "lastError", d.created_at AS "createdAt", d.delivered_at AS "deliveredAt",
  coalesce((SELECT jsonb_agg(jsonb_build_object('attempt', a.attempt, 'outcome', a.outcome,
            'statusCode', a.status_code, 'error', a.error, 'startedAt', a.started_at,
            'durationMs', a.duration_ms) ORDER BY a.attempt)
              FROM plugin_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS "attemptLog"`;

async function loadDeliveries(
  client: pg.Pool,
  tenantId: string,
  filter: { id?: string; name?: string; status?: string; limit: number },
) {
  const result = await client.query(
    `SELECT ${deliveryColumns}
       FROM plugin_deliveries d JOIN plugin_installations i ON i.id = d.installation_id
      WHERE d.tenant_id = $1 AND ($2::uuid IS NULL OR d.id = $2)
        AND ($3::text IS NULL OR i.plugin_name = $3) AND ($4::text IS NULL OR d.status = $4)
      ORDER BY d.created_at DESC, d.id LIMIT $5`,
    [tenantId, filter.id ?? null, filter.name ?? null, filter.status ?? null, filter.limit],
  );
  return result.rows;
}

/**
 * Handles `listPluginDeliveries`: the tenant's deliveries with every attempt, newest first.
 * Payloads are not returned, because they hold rows the caller may not be allowed to read.
 */
export function createListPluginDeliveriesHandler(deps: PluginDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'listPluginDeliveries',
      listPluginDeliveriesInputSchema,
    );
    const caller = await pluginCaller(deps.pool, sessionVariables, input.tenantId);
    response.locals.context.tenantId = caller.tenantId;
    response.json(
      await loadDeliveries(deps.pool, caller.tenantId, {
        name: input.name ?? undefined,
        status: input.status ?? undefined,
        limit: input.limit ?? 50,
      }),
    );
  };
}

/**
 * Handles `replayDelivery`: sends a delivered or dead delivery again, with a fresh attempt
 * budget and the same message id, so a plugin that deduplicates by `webhook-id` sees it as
 * a repeat. Deliveries still pending or sending are rejected.
 */
export function createReplayDeliveryHandler(deps: PluginDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'replayDelivery',
      replayDeliveryInputSchema,
    );
    const caller = await pluginCaller(deps.pool, sessionVariables, input.tenantId);
    response.locals.context.tenantId = caller.tenantId;

    const updated = await deps.pool.query<{ status: string }>(
      `UPDATE plugin_deliveries d
          SET status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = NULL
         FROM plugin_deliveries previous
        WHERE d.id = previous.id AND d.id = $1 AND d.tenant_id = $2
          AND previous.status IN ('delivered', 'dead')
        RETURNING previous.status`,
      [input.deliveryId, caller.tenantId],
    );
    if (updated.rowCount === 0) {
      const [current] = await loadDeliveries(deps.pool, caller.tenantId, {
        id: input.deliveryId,
        limit: 1,
      });
      if (current === undefined) {
        throw new ActionError('not-found', `The tenant has no delivery "${input.deliveryId}".`);
      }
      throw new ActionError(
        'invalid-delivery-status',
        `The delivery "${input.deliveryId}" is ${current.status}. Replay it once it is delivered or dead.`,
      );
    }
    deps.wakeWorker();
    const [replayed] = await loadDeliveries(deps.pool, caller.tenantId, {
      id: input.deliveryId,
      limit: 1,
    });
    response.json(replayed);
  };
}
