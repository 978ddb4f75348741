import type { Request, Response } from 'express';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import { requireTenantCaller } from './access.js';
import { configurationProblems } from './configuration-schema.js';
import type { TenantDependencies } from './dependencies.js';

/** Input of `updateTenantConfiguration`; the JSON Schema checks the configuration itself. */
export const updateTenantConfigurationInputSchema = z.object({ configuration: z.unknown() });

/** Returns the cross-field problems that JSON Schema cannot state. */
function consistencyProblems(configuration: Record<string, unknown>): string[] {
  const security = configuration.security as
    | { passwordPolicy?: { minLength?: number; maxLength?: number } }
    | undefined;
  const policy = security?.passwordPolicy;
  if (policy?.minLength !== undefined && policy.maxLength !== undefined) {
    if (policy.minLength > policy.maxLength) {
      return [
        'configuration.security.passwordPolicy.minLength must be <= ' +
          'configuration.security.passwordPolicy.maxLength',
      ];
    }
  }
  return [];
}

/**
 * Handles `updateTenantConfiguration` for tenant_admin: replaces the configuration of the
 * caller's own tenant after validating it, and audits it with the previous value. Each problem
 * in the error names the member, for example
 * `configuration.security.passwordPolicy.minLength must be >= 8`.
 */
export function createUpdateTenantConfigurationHandler(deps: TenantDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'updateTenantConfiguration',
      updateTenantConfigurationInputSchema,
    );
    const caller = await requireTenantCaller(deps.pool, sessionVariables, ['tenant_admin']);
    if (caller.kind === 'admin') {
      throw new ActionError(
        'access-denied',
        "updateTenantConfiguration acts on the caller's tenant; call it as a tenant_admin.",
      );
    }
    response.locals.context.tenantId = caller.tenantId;
    response.locals.context.userId = caller.userId;

    const problems = configurationProblems(input.configuration);
    if (problems.length === 0) {
      problems.push(...consistencyProblems(input.configuration as Record<string, unknown>));
    }
    if (problems.length > 0) {
      throw new ActionError('validation-failed', `Invalid configuration: ${problems.join('; ')}.`);
    }

    const configuration = await withTransaction(deps.pool, async (client) => {
      const before = await client.query<{ configuration: Record<string, unknown> }>(
        'SELECT configuration FROM public.tenants WHERE id = $1 FOR UPDATE',
        [caller.tenantId],
      );
      await client.query('UPDATE public.tenants SET configuration = $2 WHERE id = $1', [
        caller.tenantId,
        JSON.stringify(input.configuration),
      ]);
      await recordAuditEvent(client, {
        tenantId: caller.tenantId,
        actorUserId: caller.userId,
        action: 'tenant.configuration.updated',
        resourceType: 'tenants',
        resourceId: caller.tenantId,
        ...clientInfo(request),
        before: { configuration: before.rows[0]?.configuration ?? null },
        after: { configuration: input.configuration },
      });
      return input.configuration;
    });
    response.json({ tenantId: caller.tenantId, configuration });
  };
}
