import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload } from '../http/action-payload.js';
import { type ClientInfo, clientInfo } from '../http/client.js';
import { requireTenantCaller } from './access.js';
import type { TenantDependencies } from './dependencies.js';
import { type ResolvedTenant, resolveTenant } from './resolve.js';

const tenantIdField = z.uuid({ error: 'must be a tenant id (UUID)' });

/** Input of `setTenantStatus`; `trialEndsAt` is required for, and only for, a trial. */
export const setTenantStatusInputSchema = z
  .object({
    tenantId: tenantIdField,
    status: z.enum(['active', 'trial', 'suspended', 'archived'], {
      error: 'must be one of active, trial, suspended, archived',
    }),
    trialEndsAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 time such as 2030-01-31T00:00:00Z' })
      .nullish(),
  })
  .superRefine((input, context) => {
    const hasEnd = input.trialEndsAt !== undefined && input.trialEndsAt !== null;
    if (input.status === 'trial' && !hasEnd) {
      context.addIssue({ code: 'custom', path: ['trialEndsAt'], message: 'is required for trial' });
    }
    if (input.status !== 'trial' && hasEnd) {
      context.addIssue({ code: 'custom', path: ['trialEndsAt'], message: 'is only for trial' });
    }
    if (hasEnd && Date.parse(input.trialEndsAt ?? '') <= Date.now()) {
      context.addIssue({ code: 'custom', path: ['trialEndsAt'], message: 'must be in the future' });
    }
  });

/** Input of `scheduleTenantDeletion`; `graceDays` defaults to ACCI_TENANT_DELETION_GRACE_DAYS. */
export const scheduleTenantDeletionInputSchema = z.object({
  tenantId: tenantIdField,
  graceDays: z.number().int().min(0).max(365).nullish(),
});

/** State of a tenant as the lifecycle actions return and audit it. */
function lifecycleState(
  tenant: Pick<ResolvedTenant, 'status' | 'trialEndsAt' | 'deletionScheduledAt'>,
) {
  return {
    status: tenant.status,
    trialEndsAt: tenant.trialEndsAt,
    deletionScheduledAt: tenant.deletionScheduledAt,
  };
}

interface Change {
  tenantId: string;
  actorUserId: string | null;
  client: ClientInfo;
  action: string;
  /** SQL assignments for the UPDATE, with $2 and up bound to `values`. */
  assignments: string;
  values: unknown[];
}

/**
 * Applies a lifecycle change under a row lock and audits the state before and after. The
 * platform tenant only ever changes to active, so platform admins keep their access.
 */
async function changeTenant(pool: pg.Pool, change: Change, nextStatus: string) {
  return withTransaction(pool, async (client) => {
    const before = await resolveTenant(client, { kind: 'id', id: change.tenantId }, { lock: true });
    if (before === null) {
      throw new ActionError('not-found', `No tenant has the id "${change.tenantId}".`);
    }
    if (before.isPlatform && nextStatus !== 'active') {
      throw new ActionError(
        'invalid-tenant-status',
        `The platform tenant "${before.domain}" must stay active; platform admins sign in there.`,
      );
    }
    await client.query(`UPDATE public.tenants SET ${change.assignments} WHERE id = $1`, [
      change.tenantId,
      ...change.values,
    ]);
    const after = await resolveTenant(client, { kind: 'id', id: change.tenantId });
    if (after === null) throw new Error('The tenant vanished inside its own transaction.');
    await recordAuditEvent(client, {
      tenantId: change.tenantId,
      actorUserId: change.actorUserId,
      action: change.action,
      resourceType: 'tenants',
      resourceId: change.tenantId,
      ip: change.client.ip,
      userAgent: change.client.userAgent,
      before: lifecycleState(before),
      after: lifecycleState(after),
    });
    return { tenantId: after.id, ...lifecycleState(after) };
  });
}

/**
 * Handles `setTenantStatus` for platform_admin. Suspending or archiving a tenant stops its
 * sessions on their next request, because active_sessions lists only sessions of active and
 * running-trial tenants. Changing to active or trial also cancels a scheduled deletion.
 */
export function createSetTenantStatusHandler(deps: TenantDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'setTenantStatus',
      setTenantStatusInputSchema,
    );
    const caller = await requireTenantCaller(deps.pool, sessionVariables, ['platform_admin']);
    response.locals.context.tenantId = input.tenantId;

    const reopens = input.status === 'active' || input.status === 'trial';
    const result = await changeTenant(
      deps.pool,
      {
        tenantId: input.tenantId,
        actorUserId: caller.userId,
        client: clientInfo(request),
        action: 'tenant.status.changed',
        assignments: `status = $2, trial_ends_at = $3${reopens ? ', deletion_scheduled_at = NULL' : ''}`,
        values: [input.status, input.trialEndsAt ?? null],
      },
      input.status,
    );
    response.json(result);
  };
}

/**
 * Handles `scheduleTenantDeletion` for platform_admin: archives the tenant and sets the time
 * after which `purgeDeletedTenants` deletes it. `setTenantStatus` to active cancels it.
 */
export function createScheduleTenantDeletionHandler(deps: TenantDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'scheduleTenantDeletion',
      scheduleTenantDeletionInputSchema,
    );
    const caller = await requireTenantCaller(deps.pool, sessionVariables, ['platform_admin']);
    response.locals.context.tenantId = input.tenantId;

    const graceDays = input.graceDays ?? deps.config.tenancy.deletionGraceDays;
    const result = await changeTenant(
      deps.pool,
      {
        tenantId: input.tenantId,
        actorUserId: caller.userId,
        client: clientInfo(request),
        action: 'tenant.deletion.scheduled',
        assignments:
          "status = 'archived', trial_ends_at = NULL, " +
          'deletion_scheduled_at = now() + make_interval(days => $2)',
        values: [graceDays],
      },
      'archived',
    );
    response.json(result);
  };
}

/**
 * Deletes every archived tenant whose deletion time has passed, with all its rows through the
 * foreign keys' ON DELETE CASCADE, and records a platform-wide `tenant.purged` event for each.
 * Returns the ids deleted. Meant for a cron trigger, or an operator.
 */
export async function purgeDeletedTenants(pool: pg.Pool): Promise<string[]> {
  return withTransaction(pool, async (client) => {
    const deleted = await client.query<{ id: string; name: string; domain: string }>(
      `DELETE FROM public.tenants
        WHERE status = 'archived' AND deletion_scheduled_at <= now() AND NOT is_platform
        RETURNING id, name, domain::text AS domain`,
    );
    for (const tenant of deleted.rows) {
      await recordAuditEvent(client, {
        tenantId: null,
        actorUserId: null,
        action: 'tenant.purged',
        resourceType: 'tenants',
        resourceId: tenant.id,
        ip: null,
        userAgent: null,
        before: { name: tenant.name, domain: tenant.domain },
        after: null,
      });
    }
    return deleted.rows.map((row) => row.id);
  });
}
