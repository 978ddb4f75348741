import type pg from 'pg';
import { type Caller, callerFrom, requireLiveSession } from '../auth/caller.js';
import { ActionError } from '../errors.js';

/** Caller of a tenant action: Hasura's admin (admin secret) or a signed-in user. */
export type TenantCaller = { kind: 'admin'; userId: null } | ({ kind: 'user' } & Caller);

/**
 * Checks that the request's Hasura role is one of `roles` and, unless it is `admin`, that its
 * session is still live. Hasura checks the action's role permissions before calling, so this
 * is the second check, and the one that stops tokens of ended sessions.
 */
export async function requireTenantCaller(
  client: pg.Pool | pg.ClientBase,
  sessionVariables: Record<string, string>,
  roles: readonly string[],
): Promise<TenantCaller> {
  const role = sessionVariables['x-hasura-role'] ?? '';
  if (role === 'admin') return { kind: 'admin', userId: null };

  if (!roles.includes(role)) {
    throw new ActionError(
      'access-denied',
      `The role "${role}" may not call this action; it needs one of ${roles.join(', ')}.`,
    );
  }

  const caller = callerFrom(sessionVariables);
  await requireLiveSession(client, caller);
  return { kind: 'user', ...caller };
}

/** Returns the tenant a caller acts on: `requested` for cross-tenant roles, else its own. */
export function targetTenant(caller: TenantCaller, requested: string | undefined): string {
  if (caller.kind === 'admin' || caller.role === 'platform_admin') {
    if (requested === undefined) {
      throw new ActionError(
        'validation-failed',
        'The input "tenantId" is required for the admin and platform_admin roles.',
      );
    }
    return requested;
  }
  if (requested !== undefined && requested !== caller.tenantId) {
    throw new ActionError(
      'access-denied',
      `The role "${caller.role}" acts only on its own tenant "${caller.tenantId}", ` +
        `not on "${requested}". Leave out "tenantId".`,
    );
  }
  return caller.tenantId;
}
