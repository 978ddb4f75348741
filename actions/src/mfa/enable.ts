import type { Request, Response } from 'express';
import QRCode from 'qrcode';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import { insertFactor, loadFactors } from './factors.js';
import { type MfaDependencies, secretBoxOf, smsSenderOf } from './sign-in.js';
import { sendSmsCode } from './sms.js';
import { resolveSubject } from './subject.js';
import { base32Encode, generateTotpSecret, otpauthUri } from './totp.js';

/** Issuer shown by authenticator apps next to the account. */
const totpIssuer = 'ACCI';

/** Input of `enableMfa`. `mfaToken` is the enrolment token of a sign-in that policy blocked. */
export const enableMfaInputSchema = z
  .object({
    type: z.enum(['totp', 'sms'], { error: 'must be "totp" or "sms"' }),
    phoneNumber: z
      .string({ error: 'must be a string' })
      .regex(/^\+[1-9][0-9]{6,14}$/, 'must be a phone number in E.164 form, such as +4915112345678')
      .nullish(),
    mfaToken: textField(1, 200).nullish(),
  })
  .refine((input) => input.type !== 'sms' || input.phoneNumber != null, {
    path: ['phoneNumber'],
    message: 'is required when "type" is "sms"',
  });

/**
 * Handles `enableMfa`: starts the enrolment of a TOTP or SMS factor, which stays unconfirmed
 * and unused until `confirmMfa` accepts a code from it. A second call replaces an unconfirmed
 * factor of the same type. TOTP returns the secret, its otpauth URI and a QR code once; SMS
 * sends a code to the number.
 */
export function createEnableMfaHandler(deps: MfaDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const payload = parseActionPayload(request.body, 'enableMfa', enableMfaInputSchema);
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
    const box = secretBoxOf(deps.config);
    const sender = input.type === 'sms' ? smsSenderOf(deps) : undefined;

    const factors = await loadFactors(deps.pool, subject.userId);
    if (factors.some((factor) => factor.type === input.type && factor.confirmed)) {
      throw new ActionError(
        'mfa-already-enabled',
        `A confirmed "${input.type}" factor exists already. Disable it with "disableMfa" first.`,
      );
    }

    const secret = input.type === 'totp' ? generateTotpSecret() : undefined;
    const phoneNumber = input.phoneNumber ?? undefined;
    const factorId = await withTransaction(deps.pool, (client) =>
      insertFactor(client, box, { ...subject, type: input.type, secret, phoneNumber }),
    );
    if (sender !== undefined && phoneNumber !== undefined) {
      await sendSmsCode(deps.pool, sender, { ...subject, factorId, phoneNumber });
    }
    const client = clientInfo(request);
    await recordAuditEvent(deps.pool, {
      tenantId: subject.tenantId,
      actorUserId: subject.userId,
      action: 'auth.mfa.enrolment-started',
      resourceType: 'auth_factors',
      resourceId: factorId,
      ip: client.ip,
      userAgent: client.userAgent,
      after: { type: input.type },
    });

    if (secret === undefined) {
      response.json({
        factorId,
        type: 'sms',
        phoneNumber,
        secret: null,
        otpauthUri: null,
        qrCodeDataUrl: null,
      });
      return;
    }
    const email = await userEmail(deps, subject.userId);
    const uri = otpauthUri(secret, totpIssuer, email);
    response.json({
      factorId,
      type: 'totp',
      phoneNumber: null,
      secret: base32Encode(secret),
      otpauthUri: uri,
      qrCodeDataUrl: await qrCodeDataUrl(uri),
    });
  };
}

async function userEmail(deps: MfaDependencies, userId: string): Promise<string> {
  const result = await deps.pool.query<{ email: string }>(
    'SELECT email::text AS email FROM public.users WHERE id = $1',
    [userId],
  );
  return result.rows[0]?.email ?? userId;
}

/**
 * Renders the URI as an SVG QR code in a data URL. SVG keeps the response small, renders
 * sharp at any size in an <img> and is cheaper to produce than a PNG.
 */
async function qrCodeDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
