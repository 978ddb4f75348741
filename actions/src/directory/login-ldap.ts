import type { Request, Response } from 'express';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { findLoginCandidate, type LoginCandidate } from '../auth/credentials.js';
import { accountKey, admitClient, enforceRateLimit } from '../auth/lockout.js';
import { issueSession } from '../auth/login.js';
import { loadHasuraRoles } from '../auth/roles.js';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { type ClientInfo, clientInfo } from '../http/client.js';
import { challengeSecondFactor, secretBoxOf } from '../mfa/sign-in.js';
import { authenticateWithDirectory } from './authenticate.js';
import { DirectoryFailure } from './client.js';
import type { DirectoryDependencies } from './dependencies.js';
import { mappedRoleNames, syncDirectoryRoles, upsertDirectoryUser } from './provision.js';
import { loadDirectory } from './settings.js';

/** Input of `loginLdap`. An empty password passes the schema and is rejected as a failure. */
export const loginLdapInputSchema = z.object({
  tenantId: textField(1, 255),
  username: textField(1, 256),
  password: textField(0, 1024),
});

interface Attempt {
  tenant: LoginCandidate['tenant'];
  userId: string | null;
  client: ClientInfo;
}

/**
 * Handles `loginLdap`: checks the username and password against the tenant's directory,
 * creates or updates the directory user with its name, email and mapped roles, and returns
 * the same result as password sign-in, MFA challenge included. Unknown tenant, unknown or
 * ambiguous entry, wrong or empty password and an inactive user all fail with
 * `invalid-credentials`. A directory that cannot be reached fails with `directory-unavailable`.
 */
export function createLoginLdapHandler(deps: DirectoryDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input } = parseActionPayload(request.body, 'loginLdap', loginLdapInputSchema);
    const client = clientInfo(request);
    await admitClient(deps, 'loginLdap', client);
    const { perAccount, windowSeconds } = deps.config.auth.rateLimits;
    const key = accountKey(input.tenantId, `ldap:${input.username}`);
    await enforceRateLimit(deps.store, 'loginLdap-account', key, perAccount, windowSeconds);

    const candidate = await findLoginCandidate(deps.pool, input.tenantId, '');
    if (candidate === null || !candidate.tenant.isOpen) {
      throw new ActionError(
        'invalid-credentials',
        'Directory sign-in rejected: tenant-not-found-or-closed.',
      );
    }
    const attempt: Attempt = { tenant: candidate.tenant, userId: null, client };
    response.locals.context.tenantId = candidate.tenant.id;

    const directory = await loadDirectory(deps.pool, secretBoxOf(deps.config), candidate.tenant.id);
    if (directory === null || !directory.enabled) {
      throw new ActionError(
        'directory-not-configured',
        'Directory sign-in is not enabled for this tenant. Sign in with email and password.',
      );
    }

    if (input.password === '') throw await reject(deps, attempt, 'empty-password');

    const outcome = await authenticateWithDirectory(
      directory,
      input.username,
      input.password,
    ).catch(async (error: unknown) => {
      if (!(error instanceof DirectoryFailure)) throw error;
      await audit(deps, attempt, 'auth.login.failed', {
        method: 'directory',
        reason: `directory-${error.stage}-failed`,
      });
      throw new ActionError('directory-unavailable', `Directory sign-in failed: ${error.message}`, {
        cause: error,
      });
    });
    if (outcome.kind === 'rejected') throw await reject(deps, attempt, outcome.reason);

    if (outcome.kind === 'problem') {
      await audit(deps, attempt, 'auth.login.failed', {
        method: 'directory',
        reason: outcome.problem,
      });
      throw new ActionError(outcome.problem, `Directory sign-in rejected: ${outcome.problem}.`);
    }

    const { settings } = directory;
    const provisioned = await withTransaction(deps.pool, async (transaction) => {
      const user = await upsertDirectoryUser(
        transaction,
        candidate.tenant.id,
        settings,
        outcome.entry,
      );
      if (typeof user === 'string') return user;
      const roles = await syncDirectoryRoles(
        transaction,
        { id: user.id, tenantId: candidate.tenant.id },
        mappedRoleNames(settings, outcome.groups),
      );
      return { ...user, rolesAdded: roles.added, rolesRemoved: roles.removed };
    });
    if (typeof provisioned === 'string') throw await reject(deps, attempt, provisioned);
    attempt.userId = provisioned.id;
    response.locals.context.userId = provisioned.id;

    if (provisioned.status !== 'active') throw await reject(deps, attempt, 'user-not-active');

    await audit(deps, attempt, 'directory.user.synced', {
      created: provisioned.created,
      rolesAdded: provisioned.rolesAdded,
      rolesRemoved: provisioned.rolesRemoved,
    });
    const user = { ...provisioned, passwordHash: null };
    const challenge = await challengeSecondFactor(deps, {
      tenant: candidate.tenant,
      user,
      client,
      method: 'directory',
    });
    if (challenge !== null) {
      response.json(challenge);
      return;
    }
    const roles = await loadHasuraRoles(
      deps.pool,
      { id: user.id, tenantId: candidate.tenant.id },
      candidate.tenant,
    );
    response.json(
      await issueSession(deps, {
        tenant: candidate.tenant,
        user,
        roles,
        client,
        rehash: null,
        method: 'directory',
      }),
    );
  };
}

async function audit(
  deps: DirectoryDependencies,
  attempt: Attempt,
  action: string,
  after: Record<string, unknown>,
): Promise<void> {
  await recordAuditEvent(deps.pool, {
    tenantId: attempt.tenant.id,
    actorUserId: attempt.userId,
    action,
    resourceType: attempt.userId === null ? null : 'users',
    resourceId: attempt.userId,
    ip: attempt.client.ip,
    userAgent: attempt.client.userAgent,
    after,
  });
}

/** Audits a rejected directory sign-in and returns the `invalid-credentials` error to throw. */
async function reject(
  deps: DirectoryDependencies,
  attempt: Attempt,
  reason: string,
): Promise<ActionError> {
  await audit(deps, attempt, 'auth.login.failed', { method: 'directory', reason });
  return new ActionError('invalid-credentials', `Directory sign-in rejected: ${reason}.`);
}
