import type { Request, Response } from 'express';
import { z } from 'zod';
import { callerFrom, requireLiveSession } from '../auth/caller.js';
import { admitClient } from '../auth/lockout.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import type { KeyValueStore } from '../store/store.js';
import { auditMfa } from './audit.js';
import { acceptSecondFactor, loadFactors } from './factors.js';
import { type MfaDependencies, secretBoxOf, smsSenderOf } from './sign-in.js';
import { sendSmsCode, smsCodeTtlSeconds } from './sms.js';
import { resolveSubject } from './subject.js';

export const disableMfaInputSchema = z.object({ code: textField(1, 64) });

/**
 * Handles `disableMfa`: removes every second factor and recovery code of the signed-in
 * caller once `code` proves one of them. Sign-in then asks for no second factor, unless the
 * tenant's policy requires one, in which case the next sign-in asks for a new enrolment.
 */
export function createDisableMfaHandler(deps: MfaDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const payload = parseActionPayload(request.body, 'disableMfa', disableMfaInputSchema);
    const caller = callerFrom(payload.sessionVariables);
    await requireLiveSession(deps.pool, caller);
    response.locals.context.tenantId = caller.tenantId;
    response.locals.context.userId = caller.userId;
    const client = clientInfo(request);

    const confirmed = (await loadFactors(deps.pool, caller.userId)).filter((f) => f.confirmed);
    if (confirmed.length === 0) {
      throw new ActionError('mfa-not-enabled', 'The account has no confirmed second factor.');
    }

    const outcome = await acceptSecondFactor(
      deps.pool,
      secretBoxOf(deps.config),
      caller.userId,
      payload.input.code,
    );
    if (!outcome.accepted) {
      await auditMfa(deps.pool, caller, client, 'auth.mfa.failed', { stage: 'disable' });
      throw new ActionError('invalid-mfa-code', 'The code matches no confirmed factor.');
    }

    await deps.pool.query(
      `DELETE FROM public.auth_factors
        WHERE user_id = $1 AND type IN ('totp', 'sms', 'recovery-code')`,
      [caller.userId],
    );
    await auditMfa(deps.pool, caller, client, 'auth.mfa.disabled', { method: outcome.method });
    response.json({ disabled: true });
  };
}

export const sendMfaSmsInputSchema = z.object({ mfaToken: textField(1, 200).nullish() });

/**
 * Handles `sendMfaSms`: sends a new code to the subject's SMS factor, for a sign-in
 * (with mfaToken), an enrolment, or `disableMfa` (signed in). Earlier codes stop working.
 */
export function createSendMfaSmsHandler(deps: MfaDependencies & { store: KeyValueStore }) {
  return async (request: Request, response: Response): Promise<void> => {
    const payload = parseActionPayload(request.body, 'sendMfaSms', sendMfaSmsInputSchema);
    await admitClient(deps, 'sendMfaSms', clientInfo(request));
    const subject = await resolveSubject(
      deps,
      payload.sessionVariables,
      payload.input.mfaToken,
      null,
    );
    response.locals.context.tenantId = subject.tenantId;
    response.locals.context.userId = subject.userId;
    const sender = smsSenderOf(deps);

    const sms = (await loadFactors(deps.pool, subject.userId)).find((f) => f.type === 'sms');
    const usable =
      sms !== undefined && (sms.confirmed || subject.challenge?.purpose !== 'verification');
    if (!usable || sms.phoneNumber === null) {
      throw new ActionError(
        'mfa-not-enabled',
        'The account has no SMS factor. Enrol one with "enableMfa".',
      );
    }

    // NOTE: only the per-address rate limit caps how often codes are sent; there is no cap
    // per account, so a gateway with per-message costs needs one of its own.
    await sendSmsCode(deps.pool, sender, {
      ...subject,
      factorId: sms.id,
      phoneNumber: sms.phoneNumber,
    });
    response.json({ sent: true, expiresIn: smsCodeTtlSeconds });
  };
}
