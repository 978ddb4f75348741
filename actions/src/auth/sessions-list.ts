import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { ActionError } from '../errors.js';
import { parseActionPayload } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import { callerFrom, requireLiveSession } from './caller.js';

interface SessionRow {
  id: string;
  user_agent: string | null;
  ip: string | null;
  created_at: Date;
  last_used_at: Date;
}

/**
 * Handles the `mySessions` query action: the caller's live sign-in sessions, newest first,
 * with `current` set on the one the request came from.
 */
export function createMySessionsHandler(deps: { pool: pg.Pool }) {
  return async (request: Request, response: Response): Promise<void> => {
    const { sessionVariables } = parseActionPayload(request.body, 'mySessions', z.unknown());
    const caller = callerFrom(sessionVariables);
    response.locals.context.tenantId = caller.tenantId;
    response.locals.context.userId = caller.userId;
    await requireLiveSession(deps.pool, caller);

    const result = await deps.pool.query<SessionRow>(
      `SELECT id, user_agent, host(ip) AS ip, created_at, last_used_at
         FROM public.sessions
        WHERE user_id = $1 AND tenant_id = $2 AND kind = 'sign-in'
          AND revoked_at IS NULL AND expires_at > now()
        ORDER BY created_at DESC, id`,
      [caller.userId, caller.tenantId],
    );
    response.json(
      result.rows.map((row) => ({
        id: row.id,
        userAgent: row.user_agent,
        ip: row.ip,
        createdAt: row.created_at.toISOString(),
        lastUsedAt: row.last_used_at.toISOString(),
        current: row.id === caller.sessionId,
      })),
    );
  };
}

const uuid = z.uuid({ error: 'must be a UUID' });

/** Input of the `revokeSession` action. */
export const revokeSessionInputSchema = z.object({ sessionId: uuid });

/**
 * Handles the `revokeSession` action: ends one live sign-in session of the caller, which may
 * be the current one. A session of someone else fails with `not-found`, as a missing one does.
 */
export function createRevokeSessionHandler(deps: { pool: pg.Pool }) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'revokeSession',
      revokeSessionInputSchema,
    );
    const caller = callerFrom(sessionVariables);
    response.locals.context.tenantId = caller.tenantId;
    response.locals.context.userId = caller.userId;
    await requireLiveSession(deps.pool, caller);

    const revoked = await deps.pool.query(
      `UPDATE public.sessions SET revoked_at = now(), revoked_reason = 'revoked'
        WHERE id = $1 AND user_id = $2 AND tenant_id = $3 AND kind = 'sign-in'
          AND revoked_at IS NULL AND expires_at > now()`,
      [input.sessionId, caller.userId, caller.tenantId],
    );
    if (revoked.rowCount !== 1) {
      throw new ActionError(
        'not-found',
        `No live session "${input.sessionId}" of yours exists. List them with mySessions.`,
      );
    }
    const client = clientInfo(request);
    await recordAuditEvent(deps.pool, {
      tenantId: caller.tenantId,
      actorUserId: caller.userId,
      action: 'auth.session.revoked',
      resourceType: 'sessions',
      resourceId: input.sessionId,
      ip: client.ip,
      userAgent: client.userAgent,
      after: { current: input.sessionId === caller.sessionId },
    });
    response.json({ sessionId: input.sessionId, revoked: true });
  };
}
