import type { Request, Response } from 'express';
import type pg from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import type { ActionsConfig } from '../config.js';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { type ClientInfo, clientInfo } from '../http/client.js';
import type { Mailer } from '../mail/mailer.js';
import type { KeyValueStore } from '../store/store.js';
import { type Caller, callerFrom, requireLiveSession } from './caller.js';
import { accountKey, recordLoginFailure } from './lockout.js';
import type { PasswordHasher } from './password.js';
import { assertPasswordAllowed, parseSecurityPolicy } from './security-policy.js';

/** Input of the `changePassword` action. */
export const changePasswordInputSchema = z.object({
  currentPassword: textField(1, 1024),
  newPassword: textField(1, 1024),
});

export interface PasswordDependencies {
  config: ActionsConfig;
  pool: pg.Pool;
  passwords: PasswordHasher;
  store: KeyValueStore;
  mailer: Mailer;
  logger: Logger;
}

interface AccountRow {
  email: string;
  password_hash: string | null;
  source: string;
  security: unknown;
}

/**
 * Handles the `changePassword` action. A wrong current password counts towards the
 * account's lockout like a failed sign-in, and a locked account cannot change its password.
 * On success every other sign-in session of the user ends with `password-changed`.
 */
export function createChangePasswordHandler(deps: PasswordDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'changePassword',
      changePasswordInputSchema,
    );
    const caller = callerFrom(sessionVariables);
    response.locals.context.tenantId = caller.tenantId;
    response.locals.context.userId = caller.userId;
    await requireLiveSession(deps.pool, caller);
    const client = clientInfo(request);

    const found = await deps.pool.query<AccountRow>(
      `SELECT u.email::text AS email, u.password_hash, u.source,
              t.configuration -> 'security' AS security
         FROM public.users u JOIN public.tenants t ON t.id = u.tenant_id
        WHERE u.id = $1 AND u.tenant_id = $2`,
      [caller.userId, caller.tenantId],
    );
    const account = found.rows[0];
    if (account === undefined)
      throw new Error(`User "${caller.userId}" of a live session is missing.`);

    if (account.source !== 'local') {
      throw new ActionError(
        'access-denied',
        'This account signs in through the directory; change the password there.',
      );
    }

    const policy = parseSecurityPolicy(account.security);
    const key = accountKey(caller.tenantId, account.email);
    if ((await deps.store.get(`lock:${key}`)) !== null) {
      throw new ActionError(
        'too-many-requests',
        'The account is locked after repeated failures; wait for the lock to end.',
      );
    }

    const check = await deps.passwords.verify(account.password_hash, input.currentPassword);
    if (check.outcome !== 'match') {
      await recordLoginFailure(deps, {
        account: key,
        policy: policy.lockout,
        tenantId: caller.tenantId,
        user: { id: caller.userId, email: account.email, status: 'active' },
        client,
      });
      throw new ActionError(
        'invalid-current-password',
        `Password change rejected: ${check.outcome}.`,
      );
    }

    assertPasswordAllowed(policy.passwordPolicy, input.newPassword);
    if (input.newPassword === input.currentPassword) {
      throw new ActionError(
        'password-policy-violation',
        'The new password must differ from the current password. Choose another one.',
      );
    }

    const passwordHash = await deps.passwords.hash(input.newPassword);
    const revoked = await storeChangedPassword(deps.pool, caller, passwordHash, client);
    response.json({ revokedSessions: revoked });
  };
}

/**
 * Stores the new hash, ends the user's other sign-in sessions, voids pending reset links and
 * audits the change, in one transaction. Returns the number of sessions ended.
 */
async function storeChangedPassword(
  pool: pg.Pool,
  caller: Caller,
  passwordHash: string,
  client: ClientInfo,
): Promise<number> {
  return withTransaction(pool, async (transaction) => {
    await transaction.query('UPDATE public.users SET password_hash = $2 WHERE id = $1', [
      caller.userId,
      passwordHash,
    ]);
    const sessions = await transaction.query(
      `UPDATE public.sessions SET revoked_at = now(), revoked_reason = 'password-changed'
        WHERE user_id = $1 AND id <> $2 AND kind = 'sign-in' AND revoked_at IS NULL`,
      [caller.userId, caller.sessionId],
    );
    await transaction.query(
      `UPDATE public.user_tokens SET used_at = now()
        WHERE user_id = $1 AND purpose = 'password-reset' AND used_at IS NULL`,
      [caller.userId],
    );
    await recordAuditEvent(transaction, {
      tenantId: caller.tenantId,
      actorUserId: caller.userId,
      action: 'auth.password.changed',
      resourceType: 'users',
      resourceId: caller.userId,
      ip: client.ip,
      userAgent: client.userAgent,
      after: { revokedSessions: sessions.rowCount ?? 0 },
    });
    return sessions.rowCount ?? 0;
  });
}
