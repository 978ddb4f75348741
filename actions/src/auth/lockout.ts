import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { recordAuditEvent } from '../audit/record.js';
import type { ActionsConfig } from '../config.js';
import { ActionError } from '../errors.js';
import type { ClientInfo } from '../http/client.js';
import type { Mailer } from '../mail/mailer.js';
import { lockoutMail } from '../mail/templates.js';
import type { KeyValueStore } from '../store/store.js';
import type { LockoutPolicy } from './security-policy.js';

/**
 * Key of one account for counters: a SHA-256 of the tenant and the lower-cased email. It is
 * computed the same way whether or not the account exists, so counters and their timing do
 * not reveal which accounts exist, and no email appears in Redis.
 */
export function accountKey(tenant: string, email: string): string {
  return createHash('sha256')
    .update(`${tenant.toLowerCase()}\n${email.toLowerCase()}`, 'utf8')
    .digest('base64url');
}

/**
 * Counts one request of `subject` in the fixed window of `bucket` and throws
 * `too-many-requests` once the count exceeds `limit`.
 */
export async function enforceRateLimit(
  store: KeyValueStore,
  bucket: string,
  subject: string,
  limit: number,
  windowSeconds: number,
): Promise<void> {
  const count = await store.increment(`rate:${bucket}:${subject}`, windowSeconds);
  if (count <= limit) return;
  throw new ActionError(
    'too-many-requests',
    `Rate limit "${bucket}" exceeded: ${count} requests in ${windowSeconds} s, limit ${limit}.`,
  );
}

export interface GuardDependencies {
  config: ActionsConfig;
  pool: pg.Pool;
  store: KeyValueStore;
  mailer: Mailer;
  logger: Logger;
}

/**
 * Applies the per-address rate limit of `bucket` to the client, unless the request has no
 * readable address.
 */
export async function admitClient(
  deps: Pick<GuardDependencies, 'config' | 'store'>,
  bucket: string,
  client: ClientInfo,
): Promise<void> {
  if (client.ip === null) return;
  const { perIp, windowSeconds } = deps.config.auth.rateLimits;
  await enforceRateLimit(deps.store, `${bucket}:ip`, client.ip, perIp, windowSeconds);
}

/**
 * Applies the per-account rate limit and returns whether the account is locked. Locked and
 * unknown accounts take the same two store calls as any other.
 */
export async function admitAccount(
  deps: Pick<GuardDependencies, 'config' | 'store'>,
  account: string,
): Promise<{ locked: boolean }> {
  const { perAccount, windowSeconds } = deps.config.auth.rateLimits;
  await enforceRateLimit(deps.store, 'login:account', account, perAccount, windowSeconds);
  return { locked: (await deps.store.get(`lock:${account}`)) !== null };
}

/** A failed sign-in of one account, as `recordLoginFailure` counts it. */
export interface LoginFailure {
  account: string;
  policy: LockoutPolicy;
  tenantId: string | undefined;
  /** The user behind the account, when the tenant and email match one. */
  user: { id: string; email: string; status: string } | undefined;
  client: ClientInfo;
}

/**
 * Counts a failed sign-in. The failure that reaches `maxFailures` within the window locks
 * the account for `durationSeconds`, writes an `auth.lockout` audit event and mails an
 * active owner. Returns true when this failure set the lock.
 */
export async function recordLoginFailure(
  deps: GuardDependencies,
  failure: LoginFailure,
): Promise<boolean> {
  const { policy, account } = failure;
  const failures = await deps.store.increment(`failures:${account}`, policy.windowSeconds);
  if (failures < policy.maxFailures) return false;

  const lockedNow = await deps.store.setIfAbsent(
    `lock:${account}`,
    String(Date.now()),
    policy.durationSeconds,
  );
  // The counter restarts, so the failures after an unlock count from zero again.
  await deps.store.delete(`failures:${account}`);
  if (!lockedNow || failure.tenantId === undefined) return lockedNow;

  const { user } = failure;
  await recordAuditEvent(deps.pool, {
    tenantId: failure.tenantId,
    actorUserId: null,
    action: 'auth.lockout',
    resourceType: user === undefined ? null : 'users',
    resourceId: user?.id ?? null,
    ip: failure.client.ip,
    userAgent: failure.client.userAgent,
    after: { failures, lockSeconds: policy.durationSeconds },
  });
  deps.logger.warn(
    { tenantId: failure.tenantId, userId: user?.id, failures },
    'account locked after repeated sign-in failures',
  );
  if (user !== undefined && user.status === 'active') {
    const content = lockoutMail(failures, policy.durationSeconds);
    deps.mailer.send(
      { ...content, to: user.email, kind: 'lockout' },
      { tenantId: failure.tenantId, userId: user.id },
    );
  }
  return true;
}

/** Forgets the failures of an account after a successful sign-in or password reset. */
export async function clearLoginFailures(store: KeyValueStore, account: string): Promise<void> {
  await store.delete(`failures:${account}`);
}

/** Lifts a lock, as a password reset does, and forgets the failures. */
export async function unlockAccount(store: KeyValueStore, account: string): Promise<void> {
  await store.delete(`failures:${account}`, `lock:${account}`);
}
