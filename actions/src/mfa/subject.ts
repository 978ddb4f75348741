import { callerFrom, requireLiveSession } from '../auth/caller.js';
import { type Challenge, type ChallengePurpose, findChallenge } from './challenge.js';
import type { MfaDependencies } from './sign-in.js';

/** Whose factors an MFA action acts on: a signed-in caller, or the holder of an mfaToken. */
export interface MfaSubject {
  tenantId: string;
  userId: string;
  /** The challenge of the mfaToken, or null for a signed-in caller. */
  challenge: Challenge | null;
}

/**
 * Resolves the subject of an MFA action. With `mfaToken`, the token must belong to a live
 * challenge of `purpose`; without one, the caller needs a live session.
 */
export async function resolveSubject(
  deps: MfaDependencies,
  sessionVariables: Record<string, string>,
  mfaToken: string | null | undefined,
  purpose: ChallengePurpose | null,
): Promise<MfaSubject> {
  if (mfaToken !== null && mfaToken !== undefined) {
    const challenge = await findChallenge(deps.pool, mfaToken, purpose);
    return { tenantId: challenge.tenantId, userId: challenge.userId, challenge };
  }
  const caller = callerFrom(sessionVariables);
  await requireLiveSession(deps.pool, caller);
  return { tenantId: caller.tenantId, userId: caller.userId, challenge: null };
}
