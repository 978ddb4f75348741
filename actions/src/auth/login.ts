import type { Request, Response } from 'express';
import type pg from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import type { ActionsConfig } from '../config.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { type ClientInfo, clientInfo } from '../http/client.js';
import type { Mailer } from '../mail/mailer.js';
import { challengeSecondFactor } from '../mfa/sign-in.js';
import type { KeyValueStore } from '../store/store.js';
import { type HasuraRole, signAccessToken } from '../tokens/access-token.js';
import type { SigningKey } from '../tokens/keys.js';
import { createRefreshToken } from '../tokens/refresh-token.js';
import { findLoginCandidate, type LoginCandidate } from './credentials.js';
import {
  accountKey,
  admitAccount,
  admitClient,
  clearLoginFailures,
  recordLoginFailure,
} from './lockout.js';
import type { PasswordHasher, PasswordOutcome } from './password.js';
import { loadHasuraRoles } from './roles.js';
import { type LockoutPolicy, parseSecurityPolicy } from './security-policy.js';
import { type SessionStart, startSession } from './sessions.js';

/** Input of the `login` action; `tenantId` is a tenant id or a tenant domain. */
export const loginInputSchema = z.object({
  tenantId: textField(1, 255),
  email: textField(1, 320),
  password: textField(1, 1024),
});

export interface LoginDependencies {
  config: ActionsConfig;
  pool: pg.Pool;
  passwords: PasswordHasher;
  signingKey: SigningKey;
  store: KeyValueStore;
  mailer: Mailer;
  logger: Logger;
}

/** Reason for a rejected sign-in, which is logged and audited but never sent to the client. */
type RejectReason =
  | 'tenant-not-found'
  | 'tenant-not-active'
  | 'user-not-found'
  | 'user-not-active'
  | 'account-locked'
  | 'password-not-set'
  | 'password-hash-unreadable'
  | 'password-mismatch';

const passwordReasons: Record<Exclude<PasswordOutcome, 'match'>, RejectReason> = {
  'no-hash': 'password-not-set',
  'unreadable-hash': 'password-hash-unreadable',
  mismatch: 'password-mismatch',
};

interface Attempt {
  tenantId: string | undefined;
  user: { id: string; email: string; status: string } | undefined;
  client: ClientInfo;
  /** Counter key of the tenant and email, see `accountKey`. */
  account: string;
  lockout: LockoutPolicy;
}

/**
 * Handles the `login` action: checks the password of a user of an active tenant and returns
 * the access and refresh tokens of a new session. Every rejection sends the same
 * `invalid-credentials` error and costs one argon2 verification, so neither the body nor the
 * timing separates an unknown email from a wrong password. An unknown tenant skips the audit
 * insert, which the timing may show, but tenant domains are not secret. A locked account is
 * rejected the same way, and so is an unknown account whose key is locked by failures.
 */
export function createLoginHandler(deps: LoginDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input } = parseActionPayload(request.body, 'login', loginInputSchema);
    const context = response.locals.context;
    const client = clientInfo(request);
    await admitClient(deps, 'login', client);

    const candidate = await findLoginCandidate(deps.pool, input.tenantId, input.email);
    const user = candidate?.user ?? null;
    const account = accountKey(candidate?.tenant.id ?? input.tenantId, input.email);
    const { locked } = await admitAccount(deps, account);
    const check = await deps.passwords.verify(user?.passwordHash ?? null, input.password);
    const attempt: Attempt = {
      tenantId: candidate?.tenant.id,
      user: user ?? undefined,
      client,
      account,
      lockout: parseSecurityPolicy(candidate?.tenant.security).lockout,
    };
    context.tenantId = attempt.tenantId;
    context.userId = user?.id;

    if (candidate === null) throw await reject(deps, attempt, 'tenant-not-found');

    const { tenant } = candidate;
    if (!tenant.isOpen) {
      throw await reject(deps, attempt, 'tenant-not-active', `status "${tenant.status}"`);
    }

    if (locked) throw await reject(deps, attempt, 'account-locked');

    if (user === null) throw await reject(deps, attempt, 'user-not-found');

    if (user.status !== 'active') {
      throw await reject(deps, attempt, 'user-not-active', `status "${user.status}"`);
    }

    if (check.outcome !== 'match') {
      throw await reject(deps, attempt, passwordReasons[check.outcome]);
    }

    await clearLoginFailures(deps.store, account);

    const challenge = await challengeSecondFactor(deps, {
      tenant,
      user,
      client,
      method: 'password',
    });
    if (challenge !== null) {
      response.json(challenge);
      return;
    }

    const roles = await loadHasuraRoles(deps.pool, { id: user.id, tenantId: tenant.id }, tenant);
    const rehash =
      check.needsRehash && user.passwordHash !== null
        ? { previous: user.passwordHash, next: await deps.passwords.hash(input.password) }
        : null;
    const result = await issueSession(deps, {
      tenant,
      user,
      roles,
      client: attempt.client,
      rehash,
    });
    if (rehash !== null) {
      context.logger.info({ userId: user.id }, 'password hash upgraded to the current parameters');
    }
    response.json(result);
  };
}

export interface Grant {
  tenant: LoginCandidate['tenant'];
  user: NonNullable<LoginCandidate['user']>;
  roles: HasuraRole[];
  client: ClientInfo;
  rehash: SessionStart['rehash'];
  method?: SessionStart['method'];
  secondFactor?: SessionStart['secondFactor'];
}

/** Starts the session and returns the `LoginResult` of the action, with a signed access token. */
export async function issueSession(
  deps: Pick<LoginDependencies, 'config' | 'pool' | 'signingKey'>,
  grant: Grant,
) {
  const { tenant, user, roles } = grant;
  const refreshToken = createRefreshToken();
  const sessionId = await startSession(deps.pool, {
    tenantId: tenant.id,
    userId: user.id,
    client: grant.client,
    refreshToken,
    sessionTtlSeconds: deps.config.sessionTtlSeconds,
    refreshTokenTtlSeconds: deps.config.refreshTokenTtlSeconds,
    rehash: grant.rehash,
    method: grant.method,
    secondFactor: grant.secondFactor,
  });
  const accessToken = await signAccessToken(
    deps.signingKey,
    { userId: user.id, tenantId: tenant.id, sessionId, roles },
    {
      issuer: deps.config.jwt.issuer,
      audience: deps.config.jwt.audience,
      ttlSeconds: deps.config.accessTokenTtlSeconds,
    },
  );
  return {
    accessToken,
    refreshToken: refreshToken.token,
    expiresIn: deps.config.accessTokenTtlSeconds,
    tokenType: 'Bearer',
    mfaRequired: false,
    mfaToken: null,
    user: {
      id: user.id,
      tenantId: tenant.id,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      roles,
    },
  };
}

/**
 * Audits a rejected sign-in when the tenant is known, counts it towards the account's lockout
 * unless the account is locked already, and returns the error to throw. The error's message
 * states the real reason for the log; the client sees only the fixed message of
 * `invalid-credentials`.
 */
async function reject(
  deps: LoginDependencies,
  attempt: Attempt,
  reason: RejectReason,
  detail?: string,
): Promise<ActionError> {
  if (reason !== 'account-locked') {
    await recordLoginFailure(deps, {
      account: attempt.account,
      policy: attempt.lockout,
      tenantId: attempt.tenantId,
      user: attempt.user,
      client: attempt.client,
    });
  }
  if (attempt.tenantId !== undefined) {
    await recordAuditEvent(deps.pool, {
      tenantId: attempt.tenantId,
      actorUserId: null,
      action: 'auth.login.failed',
      resourceType: attempt.user === undefined ? null : 'users',
      resourceId: attempt.user?.id ?? null,
      ip: attempt.client.ip,
      userAgent: attempt.client.userAgent,
      after: { reason },
    });
  }
  const suffix = detail === undefined ? '' : ` (${detail})`;
  return new ActionError('invalid-credentials', `Sign-in rejected: ${reason}${suffix}.`);
}
