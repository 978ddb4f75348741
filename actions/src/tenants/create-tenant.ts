import type { Request, Response } from 'express';
import { z } from 'zod';
import { withTransaction } from '../database/pool.js';
import { parseActionPayload } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import { inviteMail } from '../mail/templates.js';
import { requireTenantCaller } from './access.js';
import { provisionedOutput, type TenantDependencies } from './dependencies.js';
import { planField, provisionTenant, tenantFields } from './provision.js';

/** Input of the `createTenant` action. */
export const createTenantInputSchema = z.object({ ...tenantFields, plan: planField });

/**
 * Handles `createTenant` for platform_admin: provisions an active tenant with a pending first
 * admin and mails the admin the invitation link. The token leaves the server only in that
 * mail; the database keeps its SHA-256.
 */
export function createCreateTenantHandler(deps: TenantDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'createTenant',
      createTenantInputSchema,
    );
    const caller = await requireTenantCaller(deps.pool, sessionVariables, ['platform_admin']);
    const context = response.locals.context;
    context.userId = caller.userId ?? undefined;

    const tenant = await withTransaction(deps.pool, (client) =>
      provisionTenant(client, {
        name: input.name,
        domain: input.domain,
        plan: input.plan,
        status: 'active',
        trialDays: null,
        admin: {
          email: input.adminEmail,
          firstName: input.adminFirstName,
          lastName: input.adminLastName,
          passwordHash: null,
        },
        invitationTtlSeconds: deps.config.auth.inviteTtlSeconds,
        actorUserId: caller.userId,
        client: clientInfo(request),
      }),
    );
    context.tenantId = tenant.tenantId;

    if (tenant.invitationToken !== null) {
      // NOTE: the path /invite must match the console's page that calls acceptInvite.
      const link = new URL('/invite', deps.config.auth.consoleUrl);
      link.searchParams.set('token', tenant.invitationToken);
      const mail = inviteMail(
        { firstName: input.adminFirstName, tenantName: tenant.name, link: link.toString() },
        deps.config.auth.inviteTtlSeconds,
      );
      deps.mailer.send(
        { ...mail, to: input.adminEmail, kind: 'invite' },
        { tenantId: tenant.tenantId, userId: tenant.adminUserId },
      );
    }
    response.json(provisionedOutput(tenant));
  };
}
