import type pg from 'pg';
import { recordAuditEvent } from '../audit/record.js';
import type { LoginCandidate } from '../auth/credentials.js';
import { issueSession } from '../auth/login.js';
import { loadHasuraRoles } from '../auth/roles.js';
import type { ActionsConfig } from '../config.js';
import { createSecretBox, type SecretBox } from '../crypto/secret-box.js';
import { ActionError } from '../errors.js';
import type { ClientInfo } from '../http/client.js';
import type { SigningKey } from '../tokens/keys.js';
import { createChallenge, type SignInMethod } from './challenge.js';
import { loadFactors } from './factors.js';
import { policyRequiresMfa } from './policy.js';
import { createHttpSmsSender, type SmsSender, sendSmsCode } from './sms.js';

/** Dependencies of the MFA actions and the sign-in hook, with an optional other SMS sender. */
export interface MfaDependencies {
  config: ActionsConfig;
  pool: pg.Pool;
  signingKey: SigningKey;
  /** Replaces the HTTP gateway of SMS_GATEWAY_URL. */
  smsSender?: SmsSender;
}

/** The `LoginResult` of a sign-in that waits for a second factor: no tokens, no user. */
export interface MfaChallengeResult {
  accessToken: null;
  refreshToken: null;
  expiresIn: null;
  tokenType: null;
  mfaRequired: true;
  mfaToken: string;
  /** True when the user must first enrol a factor, as the tenant's policy requires. */
  mfaEnrolmentRequired: boolean;
  /** Confirmed factor types that verifyMfa accepts (recovery codes always count). */
  mfaMethods: string[];
  user: null;
}

const boxes = new WeakMap<ActionsConfig, SecretBox>();

/** Returns the secret box of ACCI_ENCRYPTION_KEYS, or throws `mfa-unavailable` without keys. */
export function secretBoxOf(config: ActionsConfig): SecretBox {
  const cached = boxes.get(config);
  if (cached !== undefined) return cached;
  if (config.encryptionKeys.length === 0) {
    throw new ActionError(
      'mfa-unavailable',
      'Second factors are not available because the server has no ACCI_ENCRYPTION_KEYS. ' +
        'Ask the operator to set it.',
    );
  }
  const box = createSecretBox(config.encryptionKeys);
  boxes.set(config, box);
  return box;
}

/** Returns the SMS sender, or throws `mfa-unavailable` when SMS_GATEWAY_URL is not set. */
export function smsSenderOf(deps: MfaDependencies): SmsSender {
  if (deps.smsSender !== undefined) return deps.smsSender;
  if (deps.config.smsGateway === undefined) {
    throw new ActionError(
      'mfa-unavailable',
      'SMS codes are not available because the server has no SMS_GATEWAY_URL. Use "totp".',
    );
  }
  return createHttpSmsSender(deps.config.smsGateway);
}

interface FirstFactorPassed {
  tenant: LoginCandidate['tenant'];
  user: { id: string };
  client: ClientInfo;
  method: SignInMethod;
}

/**
 * Decides whether a sign-in that passed its first factor needs a second one. Returns the
 * challenge result to send in place of tokens, or null to issue tokens now. A user with a
 * confirmed factor gets a verification challenge, and an SMS code when SMS is their only
 * factor. A user without one whose role the tenant's policy names gets an enrolment challenge.
 */
export async function challengeSecondFactor(
  deps: MfaDependencies,
  passed: FirstFactorPassed,
): Promise<MfaChallengeResult | null> {
  const userRef = { id: passed.user.id, tenantId: passed.tenant.id };
  const confirmed = (await loadFactors(deps.pool, passed.user.id)).filter((f) => f.confirmed);
  const enrol =
    confirmed.length === 0 && (await policyRequiresMfa(deps.pool, userRef, passed.tenant.security));
  if (confirmed.length === 0 && !enrol) return null;

  const purpose = enrol ? 'enrolment' : 'verification';
  const mfaToken = await createChallenge(deps.pool, {
    tenantId: passed.tenant.id,
    userId: passed.user.id,
    purpose,
    method: passed.method,
  });
  const sms = confirmed.find((factor) => factor.type === 'sms');
  if (sms !== undefined && confirmed.length === 1 && sms.phoneNumber !== null) {
    await sendSmsCode(deps.pool, smsSenderOf(deps), {
      tenantId: passed.tenant.id,
      userId: passed.user.id,
      factorId: sms.id,
      phoneNumber: sms.phoneNumber,
    });
  }
  await recordAuditEvent(deps.pool, {
    tenantId: passed.tenant.id,
    actorUserId: passed.user.id,
    action: 'auth.mfa.challenged',
    resourceType: 'users',
    resourceId: passed.user.id,
    ip: passed.client.ip,
    userAgent: passed.client.userAgent,
    after: { purpose, method: passed.method },
  });
  return {
    accessToken: null,
    refreshToken: null,
    expiresIn: null,
    tokenType: null,
    mfaRequired: true,
    mfaToken,
    mfaEnrolmentRequired: enrol,
    mfaMethods: confirmed.map((factor) => factor.type),
    user: null,
  };
}

interface SignInRow {
  tenant_id: string;
  tenant_status: string;
  is_platform: boolean;
  security: unknown;
  email: string;
  password_hash: string | null;
  first_name: string;
  last_name: string;
  status: string;
}

/**
 * Issues the tokens of a sign-in whose second factor was accepted, through the same session
 * code as password sign-in. `secondFactor` names what accepted it, for the audit event.
 */
export async function completeSignIn(
  deps: MfaDependencies,
  subject: {
    tenantId: string;
    userId: string;
    client: ClientInfo;
    method: SignInMethod;
    secondFactor: string;
  },
) {
  const result = await deps.pool.query<SignInRow>(
    `SELECT t.id AS tenant_id, t.status AS tenant_status, t.is_platform,
            t.configuration -> 'security' AS security, u.email::text AS email, u.password_hash,
            u.first_name, u.last_name, u.status
       FROM public.users u JOIN public.tenants t ON t.id = u.tenant_id
      WHERE u.id = $1 AND u.tenant_id = $2`,
    [subject.userId, subject.tenantId],
  );
  const row = result.rows[0];
  if (row === undefined)
    throw new ActionError('invalid-mfa-token', 'The user of the challenge is gone.');
  const tenant = {
    id: row.tenant_id,
    status: row.tenant_status,
    isOpen: true,
    isPlatform: row.is_platform,
    security: row.security,
  };
  const user = {
    id: subject.userId,
    email: row.email,
    passwordHash: row.password_hash,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
  };
  const roles = await loadHasuraRoles(deps.pool, { id: user.id, tenantId: tenant.id }, tenant);
  return issueSession(deps, {
    tenant,
    user,
    roles,
    client: subject.client,
    rehash: null,
    method: subject.method,
    secondFactor: subject.secondFactor,
  });
}
