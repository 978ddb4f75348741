import type { Request, Response } from 'express';
import { z } from 'zod';
import { admitClient } from '../auth/lockout.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import type { KeyValueStore } from '../store/store.js';
import { auditMfa } from './audit.js';
import { consumeChallenge, findChallenge, recordChallengeFailure } from './challenge.js';
import { acceptSecondFactor } from './factors.js';
import { completeSignIn, type MfaDependencies, secretBoxOf } from './sign-in.js';

/** Input of `verifyMfa`: the mfaToken of the sign-in and a TOTP, SMS or recovery code. */
export const verifyMfaInputSchema = z.object({
  mfaToken: textField(1, 200),
  code: textField(1, 64),
});

/**
 * Handles `verifyMfa`: completes a sign-in that returned `mfaRequired` when `code` is a
 * current TOTP code, the latest SMS code or an unused recovery code, and returns the same
 * result as a password sign-in. Each wrong code counts against the challenge, which dies
 * after five.
 */
export function createVerifyMfaHandler(deps: MfaDependencies & { store: KeyValueStore }) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input } = parseActionPayload(request.body, 'verifyMfa', verifyMfaInputSchema);
    const client = clientInfo(request);
    await admitClient(deps, 'verifyMfa', client);
    const challenge = await findChallenge(deps.pool, input.mfaToken, 'verification');
    const context = response.locals.context;
    context.tenantId = challenge.tenantId;
    context.userId = challenge.userId;

    const box = secretBoxOf(deps.config);
    const outcome = await acceptSecondFactor(deps.pool, box, challenge.userId, input.code);
    if (!outcome.accepted) {
      await recordChallengeFailure(deps.pool, challenge.id);
      await auditMfa(deps.pool, challenge, client, 'auth.mfa.failed', { stage: 'sign-in' });
      throw new ActionError('invalid-mfa-code', 'The code matches no confirmed factor.');
    }

    await consumeChallenge(deps.pool, challenge.id);
    await auditMfa(deps.pool, challenge, client, 'auth.mfa.verified', { method: outcome.method });
    const result = await completeSignIn(deps, {
      tenantId: challenge.tenantId,
      userId: challenge.userId,
      client,
      method: challenge.method,
      secondFactor: outcome.method,
    });
    response.json(result);
  };
}
