import type pg from 'pg';
import { ActionError } from '../errors.js';

/** The signed-in caller of an action, from the session variables Hasura sends. */
export interface Caller {
  userId: string;
  tenantId: string;
  sessionId: string;
  /** Hasura role of the request, for example user or tenant_admin. */
  role: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(value: string | undefined): value is string {
  return value !== undefined && uuidPattern.test(value);
}

/**
 * Reads the caller from the session variables. Throws `access-denied` when a user, tenant or
 * session id is missing or not a UUID, as for the anonymous role.
 */
export function callerFrom(sessionVariables: Record<string, string>): Caller {
  const userId = sessionVariables['x-hasura-user-id'];
  const tenantId = sessionVariables['x-hasura-tenant-id'];
  const sessionId = sessionVariables['x-hasura-session-id'];
  const role = sessionVariables['x-hasura-role'] ?? '';
  if (!isUuid(userId) || !isUuid(tenantId) || !isUuid(sessionId)) {
    throw new ActionError(
      'access-denied',
      `The role "${role}" has no signed-in session: the action needs the session variables ` +
        '"x-hasura-user-id", "x-hasura-tenant-id" and "x-hasura-session-id". Sign in first.',
    );
  }
  return { userId, tenantId, sessionId, role };
}

/**
 * Throws `access-denied` unless the caller's session is live and still has the caller's
 * role in `active_session_roles`, the view the permission rules use, so an action refuses the
 * same tokens that the rules refuse, including those of a tenant admin who lost the role.
 */
export async function requireLiveSession(
  client: pg.Pool | pg.ClientBase,
  caller: Caller,
): Promise<void> {
  const result = await client.query(
    `SELECT 1 FROM public.active_session_roles
      WHERE id = $1 AND user_id = $2 AND tenant_id = $3 AND role = $4`,
    [caller.sessionId, caller.userId, caller.tenantId, caller.role === '' ? 'user' : caller.role],
  );
  if (result.rowCount === 1) return;
  throw new ActionError(
    'access-denied',
    `Session "${caller.sessionId}" has ended, its user or tenant is no longer active, or it no ` +
      `longer holds the role "${caller.role}". Sign in again.`,
  );
}
