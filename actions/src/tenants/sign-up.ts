import type { Request, Response } from 'express';
import { z } from 'zod';
import { admitClient } from '../auth/lockout.js';
import { assertPasswordAllowed, parseSecurityPolicy } from '../auth/security-policy.js';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import { provisionedOutput, type TenantDependencies } from './dependencies.js';
import { provisionTenant, tenantFields } from './provision.js';

/** Input of the anonymous `signUpTenant` action. */
export const signUpTenantInputSchema = z.object({
  ...tenantFields,
  password: textField(1, 1024),
});

/**
 * Handles `signUpTenant`: when ACCI_SELF_SERVICE_SIGNUP is true, creates a tenant on the free
 * plan in a trial of ACCI_SIGNUP_TRIAL_DAYS, whose admin signs in with the given password.
 * Rate-limited per client address like the other anonymous actions.
 */
export function createSignUpTenantHandler(deps: TenantDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    if (!deps.config.tenancy.selfServiceSignup) {
      throw new ActionError('signup-disabled', 'signUpTenant called while sign-up is disabled.');
    }

    const { input } = parseActionPayload(request.body, 'signUpTenant', signUpTenantInputSchema);
    const client = clientInfo(request);
    await admitClient(deps, 'signup', client);

    assertPasswordAllowed(parseSecurityPolicy({}).passwordPolicy, input.password);

    // NOTE: the admin is active at once and email_verified_at stays null; a verification mail
    // is not sent yet.
    const passwordHash = await deps.passwords.hash(input.password);
    const tenant = await withTransaction(deps.pool, (transaction) =>
      provisionTenant(transaction, {
        name: input.name,
        domain: input.domain,
        plan: 'free',
        status: 'trial',
        trialDays: deps.config.tenancy.signupTrialDays,
        admin: {
          email: input.adminEmail,
          firstName: input.adminFirstName,
          lastName: input.adminLastName,
          passwordHash,
        },
        invitationTtlSeconds: deps.config.auth.inviteTtlSeconds,
        actorUserId: null,
        client,
      }),
    );
    response.locals.context.tenantId = tenant.tenantId;
    response.locals.context.userId = tenant.adminUserId;
    response.json(provisionedOutput(tenant));
  };
}
