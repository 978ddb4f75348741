import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { ActionError } from '../errors.js';

/** Lifetime of an mfaToken, and the wrong codes one challenge tolerates. */
export const challengeTtlSeconds = 300;
export const challengeMaxAttempts = 5;

export type ChallengePurpose = 'verification' | 'enrolment';
/** First factor of the sign-in that the challenge continues. */
export type SignInMethod = 'password' | 'directory';

/** A live challenge, found by its mfaToken. */
export interface Challenge {
  id: string;
  tenantId: string;
  userId: string;
  purpose: ChallengePurpose;
  method: SignInMethod;
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Stores a challenge and returns its mfaToken: 32 random bytes as base64url, of which the
 * database keeps only the SHA-256, like refresh tokens.
 */
export async function createChallenge(
  pool: pg.Pool,
  subject: { tenantId: string; userId: string; purpose: ChallengePurpose; method: SignInMethod },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await pool.query(
    `INSERT INTO public.mfa_challenges (tenant_id, user_id, token_hash, purpose, method, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
    [
      subject.tenantId,
      subject.userId,
      hashToken(token),
      subject.purpose,
      subject.method,
      challengeTtlSeconds,
    ],
  );
  return token;
}

interface ChallengeRow {
  id: string;
  tenant_id: string;
  user_id: string;
  purpose: ChallengePurpose;
  method: SignInMethod;
}

/**
 * Finds the live challenge of `token`: unexpired, unconsumed, with fewer than five wrong
 * codes, of an active user in an open tenant. Throws `invalid-mfa-token` otherwise, and
 * `mfa-enrolment-required` or `invalid-mfa-token` when its purpose differs from `purpose`
 * (null accepts both).
 */
export async function findChallenge(
  client: pg.Pool | pg.ClientBase,
  token: string,
  purpose: ChallengePurpose | null,
): Promise<Challenge> {
  const result = await client.query<ChallengeRow>(
    `SELECT c.id, c.tenant_id, c.user_id, c.purpose, c.method
       FROM public.mfa_challenges c
       JOIN public.users u ON u.id = c.user_id AND u.tenant_id = c.tenant_id
       JOIN public.tenants t ON t.id = c.tenant_id
      WHERE c.token_hash = $1 AND c.consumed_at IS NULL AND c.expires_at > now()
        AND c.attempts < $2 AND u.status = 'active'
        AND (t.status = 'active' OR (t.status = 'trial' AND t.trial_ends_at > now()))`,
    [hashToken(token), challengeMaxAttempts],
  );
  const row = result.rows[0];
  if (row === undefined) {
    throw new ActionError('invalid-mfa-token', 'No live MFA challenge has this token.');
  }

  if (purpose !== null && row.purpose !== purpose && row.purpose === 'enrolment') {
    throw new ActionError(
      'mfa-enrolment-required',
      'The tenant requires a second factor and this account has none. Enrol one with ' +
        '"enableMfa" and "confirmMfa", passing this mfaToken, to finish signing in.',
    );
  }

  if (purpose !== null && row.purpose !== purpose) {
    throw new ActionError(
      'invalid-mfa-token',
      `The MFA challenge is for ${row.purpose}, not ${purpose}.`,
    );
  }
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    purpose: row.purpose,
    method: row.method,
  };
}

/** Counts one wrong code against the challenge. */
export async function recordChallengeFailure(
  pool: pg.Pool | pg.ClientBase,
  id: string,
): Promise<void> {
  await pool.query('UPDATE public.mfa_challenges SET attempts = attempts + 1 WHERE id = $1', [id]);
}

/** Marks the challenge used; throws `invalid-mfa-token` when a concurrent request did so first. */
export async function consumeChallenge(client: pg.Pool | pg.ClientBase, id: string): Promise<void> {
  const result = await client.query(
    'UPDATE public.mfa_challenges SET consumed_at = now() WHERE id = $1 AND consumed_at IS NULL',
    [id],
  );
  if (result.rowCount === 1) return;
  throw new ActionError('invalid-mfa-token', 'The MFA challenge was used by another request.');
}
