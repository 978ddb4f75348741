import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { parseActionPayload } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import { callerFrom, requireLiveSession } from './caller.js';

/** Input of the `logout` action; `all` ends every sign-in session of the user. */
export const logoutInputSchema = z.object({
  all: z.boolean({ error: 'must be a boolean' }).nullish(),
});

/**
 * Handles the `logout` action: revokes the caller's session, or with `all` every sign-in
 * session of the caller. Sessions of API keys stay, because `revokeApiKey` ends those. An
 * already ended session is no error for a plain logout, so a repeat returns
 * `revokedSessions: 0`; `all` needs a live session, so a stale token cannot end the others.
 */
export function createLogoutHandler(deps: { pool: pg.Pool }) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'logout',
      logoutInputSchema,
    );
    const caller = callerFrom(sessionVariables);
    const context = response.locals.context;
    context.tenantId = caller.tenantId;
    context.userId = caller.userId;
    const all = input.all === true;
    if (all) await requireLiveSession(deps.pool, caller);

    const revoked = await deps.pool.query<{ id: string }>(
      `UPDATE public.sessions
          SET revoked_at = now(), revoked_reason = $4
        WHERE user_id = $1 AND tenant_id = $2 AND revoked_at IS NULL AND kind = 'sign-in'
          AND ($5 OR id = $3)
      RETURNING id`,
      [caller.userId, caller.tenantId, caller.sessionId, all ? 'logout-all' : 'logout', all],
    );
    const client = clientInfo(request);
    await recordAuditEvent(deps.pool, {
      tenantId: caller.tenantId,
      actorUserId: caller.userId,
      action: 'auth.logout',
      resourceType: 'sessions',
      resourceId: caller.sessionId,
      ip: client.ip,
      userAgent: client.userAgent,
      after: { all, revokedSessions: revoked.rowCount ?? 0 },
    });
    response.json({ revokedSessions: revoked.rowCount ?? 0 });
  };
}
