import type { Request, Response } from 'express';
import { z } from 'zod';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import { auditMfa } from './audit.js';
import { consumeChallenge, recordChallengeFailure } from './challenge.js';
import { acceptFactorCode, type Factor, loadFactors, replaceRecoveryCodes } from './factors.js';
import { completeSignIn, type MfaDependencies, secretBoxOf } from './sign-in.js';
import { resolveSubject } from './subject.js';

/** Input of `confirmMfa`: a code of the factor being enrolled, and an enrolment mfaToken. */
export const confirmMfaInputSchema = z.object({
  code: textField(1, 64),
  mfaToken: textField(1, 200).nullish(),
});

/**
 * Handles `confirmMfa`: confirms the unconfirmed factor that accepts `code` and returns ten
 * new recovery codes, which replace any earlier ones. With an enrolment mfaToken the sign-in
 * that the tenant's policy held back completes too, and `login` carries its tokens.
 */
export function createConfirmMfaHandler(deps: MfaDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const payload = parseActionPayload(request.body, 'confirmMfa', confirmMfaInputSchema);
    const { input } = payload;
    const subject = await resolveSubject(
      deps,
      payload.sessionVariables,
      input.mfaToken,
      'enrolment',
    );
    const context = response.locals.context;
    context.tenantId = subject.tenantId;
    context.userId = subject.userId;
    const client = clientInfo(request);
    const box = secretBoxOf(deps.config);

    const pending = (await loadFactors(deps.pool, subject.userId)).filter((f) => !f.confirmed);
    if (pending.length === 0) {
      throw new ActionError(
        'mfa-not-enabled',
        'No factor is waiting for confirmation. Start the enrolment with "enableMfa".',
      );
    }

    let confirmed: Factor | undefined;
    for (const factor of [...pending].reverse()) {
      if (await acceptFactorCode(deps.pool, box, factor, input.code)) {
        confirmed = factor;
        break;
      }
    }
    if (confirmed === undefined) {
      if (subject.challenge !== null) await recordChallengeFailure(deps.pool, subject.challenge.id);
      await auditMfa(deps.pool, subject, client, 'auth.mfa.failed', { stage: 'confirmation' });
      throw new ActionError(
        'invalid-mfa-code',
        'The code matches no factor awaiting confirmation.',
      );
    }

    const factor = confirmed;
    const recoveryCodes = await withTransaction(deps.pool, async (transaction) => {
      await transaction.query('UPDATE public.auth_factors SET confirmed_at = now() WHERE id = $1', [
        factor.id,
      ]);
      return replaceRecoveryCodes(transaction, subject);
    });
    await auditMfa(deps.pool, subject, client, 'auth.mfa.enrolled', {
      type: factor.type,
      factorId: factor.id,
    });

    if (subject.challenge === null) {
      response.json({ recoveryCodes, login: null });
      return;
    }
    await consumeChallenge(deps.pool, subject.challenge.id);
    const login = await completeSignIn(deps, {
      tenantId: subject.tenantId,
      userId: subject.userId,
      client,
      method: subject.challenge.method,
      secondFactor: factor.type,
    });
    response.json({ recoveryCodes, login });
  };
}
