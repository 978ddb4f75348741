import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { type ClientInfo, clientInfo } from '../http/client.js';
import { inviteMail } from '../mail/templates.js';
import { type Caller, callerFrom, requireLiveSession } from './caller.js';
import type { PasswordDependencies } from './change-password.js';
import { admitClient } from './lockout.js';
import { loadHasuraRoles } from './roles.js';
import { assertPasswordAllowed, parseSecurityPolicy } from './security-policy.js';
import {
  consumeUserToken,
  createMailToken,
  findRedeemableToken,
  storeUserToken,
} from './user-tokens.js';

/** Input of the `inviteUser` action; `roles` names roles of the caller's tenant. */
export const inviteInputSchema = z.object({
  email: textField(3, 320).regex(/^[^@\s]+@[^@\s]+$/, 'must be an email address'),
  firstName: textField(0, 100),
  lastName: textField(0, 100),
  roles: z.array(textField(1, 63), { error: 'must be a list of role names' }).max(50),
});

interface TenantRole {
  id: string;
  name: string;
  is_system: boolean;
}

/**
 * Handles `inviteUser` for tenant admins: creates a pending user of the caller's tenant with
 * the named roles and mails a single-use invitation link. Granting `platform_admin` needs
 * the caller to hold it.
 */
export function createInviteUserHandler(deps: PasswordDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'inviteUser',
      inviteInputSchema,
    );
    const caller = callerFrom(sessionVariables);
    response.locals.context.tenantId = caller.tenantId;
    response.locals.context.userId = caller.userId;
    await requireLiveSession(deps.pool, caller);

    const tenant = await deps.pool.query<{ name: string; is_platform: boolean }>(
      'SELECT name, is_platform FROM public.tenants WHERE id = $1',
      [caller.tenantId],
    );
    const isPlatform = tenant.rows[0]?.is_platform ?? false;
    const callerRoles = await loadHasuraRoles(
      deps.pool,
      { id: caller.userId, tenantId: caller.tenantId },
      { isPlatform },
    );
    if (!callerRoles.includes('tenant_admin') && !callerRoles.includes('platform_admin')) {
      throw new ActionError('access-denied', 'Only a tenant admin may invite users.');
    }

    const roles = await resolveRoles(deps.pool, caller.tenantId, input.roles);
    if (
      roles.some((role) => role.name === 'platform_admin') &&
      !callerRoles.includes('platform_admin')
    ) {
      throw new ActionError(
        'access-denied',
        'Only a platform admin may grant the role "platform_admin".',
      );
    }

    const mailToken = createMailToken();
    const invited = await createInvitedUser(
      deps,
      caller,
      input,
      roles,
      mailToken.hash,
      clientInfo(request),
    );
    const link = `${deps.config.auth.consoleUrl}/accept-invite#token=${mailToken.token}`;
    const content = inviteMail(
      { firstName: input.firstName, tenantName: tenant.rows[0]?.name ?? '', link },
      deps.config.auth.inviteTtlSeconds,
    );
    deps.mailer.send(
      { ...content, to: input.email, kind: 'invite' },
      { tenantId: caller.tenantId, userId: invited.userId },
    );
    response.json({ userId: invited.userId, expiresAt: invited.expiresAt.toISOString() });
  };
}

/** Looks up the named roles of the tenant and throws `validation-failed` naming a missing one. */
async function resolveRoles(
  pool: pg.Pool,
  tenantId: string,
  names: string[],
): Promise<TenantRole[]> {
  const unique = [...new Set(names)];
  const found = await pool.query<TenantRole>(
    'SELECT id, name, is_system FROM public.roles WHERE tenant_id = $1 AND name = ANY($2::text[])',
    [tenantId, unique],
  );
  const missing = unique.filter((name) => !found.rows.some((role) => role.name === name));
  if (missing.length > 0) {
    throw new ActionError(
      'validation-failed',
      `The tenant has no role "${missing[0]}". Create it first or pick one of the existing roles.`,
    );
  }
  return found.rows;
}

async function createInvitedUser(
  deps: PasswordDependencies,
  caller: Caller,
  input: z.output<typeof inviteInputSchema>,
  roles: TenantRole[],
  tokenHash: Buffer,
  client: ClientInfo,
): Promise<{ userId: string; expiresAt: Date }> {
  return withTransaction(deps.pool, async (transaction) => {
    const inserted = await transaction.query<{ id: string }>(
      `INSERT INTO public.users (tenant_id, email, first_name, last_name, status)
       VALUES ($1, $2, $3, $4, 'pending')
       ON CONFLICT (tenant_id, email) DO NOTHING
       RETURNING id`,
      [caller.tenantId, input.email, input.firstName, input.lastName],
    );
    const userId = inserted.rows[0]?.id;
    if (userId === undefined) {
      throw new ActionError(
        'user-exists',
        'A user with this email exists in the tenant already. Edit that user instead.',
      );
    }
    for (const role of roles) {
      await transaction.query(
        'INSERT INTO public.user_roles (tenant_id, user_id, role_id) VALUES ($1, $2, $3)',
        [caller.tenantId, userId, role.id],
      );
    }
    const expiresAt = await storeUserToken(
      transaction,
      { tenantId: caller.tenantId, userId, purpose: 'invite', hash: tokenHash },
      deps.config.auth.inviteTtlSeconds,
    );
    await recordAuditEvent(transaction, {
      tenantId: caller.tenantId,
      actorUserId: caller.userId,
      action: 'auth.invite.created',
      resourceType: 'users',
      resourceId: userId,
      ip: client.ip,
      userAgent: client.userAgent,
      after: { roles: roles.map((role) => role.name), expiresAt: expiresAt.toISOString() },
    });
    return { userId, expiresAt };
  });
}

/** Input of the `acceptInvite` action. */
export const acceptInviteInputSchema = z.object({
  token: textField(1, 256),
  password: textField(1, 1024),
});

/**
 * Handles `acceptInvite`: checks the invitation token and the tenant's password policy, then
 * activates the pending user with the password and marks the email as verified.
 */
export function createAcceptInviteHandler(deps: PasswordDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input } = parseActionPayload(request.body, 'acceptInvite', acceptInviteInputSchema);
    const client = clientInfo(request);
    await admitClient(deps, 'accept-invite', client);

    const token = await findRedeemableToken(deps.pool, 'invite', input.token);
    if (token === null) throw new ActionError('invalid-token', 'Invite rejected: token-not-found.');
    response.locals.context.tenantId = token.tenantId;
    response.locals.context.userId = token.userId;
    if (token.userStatus !== 'pending' || !token.tenantOpen) {
      throw new ActionError('invalid-token', `Invite rejected: user status "${token.userStatus}".`);
    }

    assertPasswordAllowed(parseSecurityPolicy(token.security).passwordPolicy, input.password);
    const passwordHash = await deps.passwords.hash(input.password);
    await withTransaction(deps.pool, async (transaction) => {
      if (!(await consumeUserToken(transaction, token.id))) {
        throw new ActionError('invalid-token', 'Invite rejected: token used concurrently.');
      }
      await transaction.query(
        `UPDATE public.users
            SET password_hash = $2, status = 'active', email_verified_at = now()
          WHERE id = $1 AND status = 'pending'`,
        [token.userId, passwordHash],
      );
      await recordAuditEvent(transaction, {
        tenantId: token.tenantId,
        actorUserId: token.userId,
        action: 'auth.invite.accepted',
        resourceType: 'users',
        resourceId: token.userId,
        ip: client.ip,
        userAgent: client.userAgent,
        after: null,
      });
    });
    response.json({ userId: token.userId, tenantId: token.tenantId });
  };
}
