import type { Request, Response } from 'express';
import { z } from 'zod';
import { ActionError } from '../errors.js';
import { parseActionPayload } from '../http/action-payload.js';
import { requireTenantCaller, targetTenant } from './access.js';
import type { TenantDependencies } from './dependencies.js';
import { effectiveFeatures } from './features.js';
import { resolveTenant } from './resolve.js';

/** Input of the `tenantFeatures` query; only cross-tenant roles name another tenant. */
export const tenantFeaturesInputSchema = z.object({
  tenantId: z.uuid({ error: 'must be a tenant id (UUID)' }).nullish(),
});

/**
 * Handles `tenantFeatures`: the effective feature flags of the caller's tenant, or of
 * `tenantId` for platform_admin, each marked as coming from the plan or from an override.
 */
export function createTenantFeaturesHandler(deps: TenantDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'tenantFeatures',
      tenantFeaturesInputSchema,
    );
    const caller = await requireTenantCaller(deps.pool, sessionVariables, [
      'user',
      'tenant_admin',
      'platform_admin',
    ]);
    const tenantId = targetTenant(caller, input.tenantId ?? undefined);
    response.locals.context.tenantId = tenantId;

    const tenant = await resolveTenant(deps.pool, { kind: 'id', id: tenantId });
    if (tenant === null) throw new ActionError('not-found', `No tenant has the id "${tenantId}".`);
    response.json(await effectiveFeatures(deps.pool, tenant.id, tenant.plan));
  };
}
