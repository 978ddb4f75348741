import type { Request, Response } from 'express';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { type ClientInfo, clientInfo } from '../http/client.js';
import { passwordResetMail } from '../mail/templates.js';
import type { PasswordDependencies } from './change-password.js';
import { findLoginCandidate } from './credentials.js';
import { accountKey, admitClient, enforceRateLimit, unlockAccount } from './lockout.js';
import { assertPasswordAllowed, parseSecurityPolicy } from './security-policy.js';
import {
  consumeUserToken,
  createMailToken,
  findRedeemableToken,
  storeUserToken,
} from './user-tokens.js';

/** Input of the `requestPasswordReset` action; `tenantId` is a tenant id or domain. */
export const requestResetInputSchema = z.object({
  tenantId: textField(1, 255),
  email: textField(1, 320),
});

/**
 * Handles `requestPasswordReset`. It responds `{accepted: true}` before looking anything up
 * and does the work afterwards, so neither the response nor its timing reveals whether the
 * account exists. Only the per-address limit responds differently, with `too-many-requests`.
 */
export function createRequestResetHandler(deps: PasswordDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input } = parseActionPayload(
      request.body,
      'requestPasswordReset',
      requestResetInputSchema,
    );
    const client = clientInfo(request);
    await admitClient(deps, 'password-reset', client);

    response.json({ accepted: true });
    const logger = response.locals.context.logger;
    void mailResetLink(deps, input, client).catch((error: unknown) =>
      logger.error({ err: error }, 'password reset request failed after the response was sent'),
    );
  };
}

/**
 * Mails a reset link to an active local user of an open tenant, at most `perAccount` times
 * per rate-limit window, and audits the request whenever the tenant exists.
 */
async function mailResetLink(
  deps: PasswordDependencies,
  input: z.output<typeof requestResetInputSchema>,
  client: ClientInfo,
): Promise<void> {
  const candidate = await findLoginCandidate(deps.pool, input.tenantId, input.email);
  if (candidate === null) return;
  const { tenant, user } = candidate;
  const { perAccount, windowSeconds } = deps.config.auth.rateLimits;
  const key = accountKey(tenant.id, input.email);
  const limited = await enforceRateLimit(
    deps.store,
    'password-reset:account',
    key,
    perAccount,
    windowSeconds,
  )
    .then(() => false)
    .catch((error: unknown) => {
      if (error instanceof ActionError && error.code === 'too-many-requests') return true;
      throw error;
    });

  const eligible = user !== null && user.status === 'active' && tenant.isOpen && !limited;
  let mailed = false;
  if (eligible && user.passwordHash !== null) {
    const mailToken = createMailToken();
    const ttl = deps.config.auth.passwordResetTtlSeconds;
    await withTransaction(deps.pool, (transaction) =>
      storeUserToken(
        transaction,
        { tenantId: tenant.id, userId: user.id, purpose: 'password-reset', hash: mailToken.hash },
        ttl,
      ),
    );
    const link = `${deps.config.auth.consoleUrl}/reset-password#token=${mailToken.token}`;
    deps.mailer.send(
      { ...passwordResetMail(link, ttl), to: user.email, kind: 'password-reset' },
      { tenantId: tenant.id, userId: user.id },
    );
    mailed = true;
  }
  await recordAuditEvent(deps.pool, {
    tenantId: tenant.id,
    actorUserId: null,
    action: 'auth.password.reset-requested',
    resourceType: user === null ? null : 'users',
    resourceId: user?.id ?? null,
    ip: client.ip,
    userAgent: client.userAgent,
    after: { mailed, rateLimited: limited },
  });
}

/** Input of the `resetPassword` action. */
export const resetPasswordInputSchema = z.object({
  token: textField(1, 256),
  newPassword: textField(1, 1024),
});

/**
 * Handles `resetPassword`: checks the mailed token and the tenant's password policy, then
 * stores the new hash, uses up the token, ends every sign-in session of the user with
 * `password-reset` and lifts a lockout of the account.
 */
export function createResetPasswordHandler(deps: PasswordDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input } = parseActionPayload(request.body, 'resetPassword', resetPasswordInputSchema);
    const client = clientInfo(request);
    await admitClient(deps, 'reset-password', client);

    const token = await findRedeemableToken(deps.pool, 'password-reset', input.token);
    if (token === null) throw new ActionError('invalid-token', 'Reset rejected: token-not-found.');
    response.locals.context.tenantId = token.tenantId;
    response.locals.context.userId = token.userId;

    if (token.userStatus !== 'active' || !token.tenantOpen || token.userSource !== 'local') {
      throw new ActionError('invalid-token', 'Reset rejected: user or tenant not active.');
    }

    assertPasswordAllowed(parseSecurityPolicy(token.security).passwordPolicy, input.newPassword);
    const passwordHash = await deps.passwords.hash(input.newPassword);

    await withTransaction(deps.pool, async (transaction) => {
      if (!(await consumeUserToken(transaction, token.id))) {
        throw new ActionError('invalid-token', 'Reset rejected: token used concurrently.');
      }
      await transaction.query('UPDATE public.users SET password_hash = $2 WHERE id = $1', [
        token.userId,
        passwordHash,
      ]);
      const sessions = await transaction.query(
        `UPDATE public.sessions SET revoked_at = now(), revoked_reason = 'password-reset'
          WHERE user_id = $1 AND kind = 'sign-in' AND revoked_at IS NULL`,
        [token.userId],
      );
      await recordAuditEvent(transaction, {
        tenantId: token.tenantId,
        actorUserId: token.userId,
        action: 'auth.password.reset',
        resourceType: 'users',
        resourceId: token.userId,
        ip: client.ip,
        userAgent: client.userAgent,
        after: { revokedSessions: sessions.rowCount ?? 0 },
      });
    });
    await unlockAccount(deps.store, accountKey(token.tenantId, token.email));
    response.json({ passwordChanged: true });
  };
}
