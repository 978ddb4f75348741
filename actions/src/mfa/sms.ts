import { createHash, randomInt, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ActionError } from '../errors.js';

/** One text message to a phone number in E.164 form. */
export interface SmsMessage {
  to: string;
  text: string;
}

/** Sends text messages; the HTTP gateway adapter is the production one. */
export interface SmsSender {
  /** Sends `message`; throws `sms-delivery-failed` when the gateway does not accept it. */
  send(message: SmsMessage): Promise<void>;
}

/** Lifetime of an SMS code, and the wrong entries it tolerates before it is discarded. */
export const smsCodeTtlSeconds = 300;
export const smsCodeMaxAttempts = 5;

const gatewayTimeoutMs = 10_000;

/**
 * Sender that POSTs `{"to", "text"}` as JSON to `url`, with `Authorization: Bearer <token>`
 * when a token is set. Any status outside 2xx, a network error or a 10 s timeout fails the
 * send. Errors carry the status only, never the number or the text, which holds the code.
 */
export function createHttpSmsSender(gateway: {
  url: string;
  token: string | undefined;
}): SmsSender {
  return {
    async send(message) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (gateway.token !== undefined) headers.authorization = `Bearer ${gateway.token}`;
      let response: Response;
      try {
        response = await fetch(gateway.url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ to: message.to, text: message.text }),
          signal: AbortSignal.timeout(gatewayTimeoutMs),
        });
      } catch (error) {
        throw new ActionError(
          'sms-delivery-failed',
          `The SMS gateway at SMS_GATEWAY_URL could not be reached: ${(error as Error).name}.`,
          { cause: error },
        );
      }
      await response.body?.cancel();
      if (!response.ok) {
        throw new ActionError(
          'sms-delivery-failed',
          `The SMS gateway at SMS_GATEWAY_URL returned HTTP ${response.status}.`,
        );
      }
    },
  };
}

function hashCode(id: string, code: string): Buffer {
  return createHash('sha256').update(`${id}:${code}`, 'utf8').digest();
}

/** The SMS factor a code is sent for. */
export interface SmsTarget {
  tenantId: string;
  userId: string;
  factorId: string;
  phoneNumber: string;
}

/**
 * Sends a new six-digit code to the factor's phone and stores its hash for five minutes.
 * Earlier codes of the factor stop being accepted. The row is written before the message
 * goes out and removed again when sending fails.
 */
export async function sendSmsCode(
  pool: pg.Pool,
  sender: SmsSender,
  target: SmsTarget,
): Promise<void> {
  const id = randomUUID();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await pool.query(
    `WITH retired AS (
       UPDATE public.mfa_codes SET consumed_at = now()
        WHERE factor_id = $3 AND consumed_at IS NULL)
     INSERT INTO public.mfa_codes (id, tenant_id, user_id, factor_id, code_hash, expires_at)
     VALUES ($1, $2, $4, $3, $5, now() + make_interval(secs => $6))`,
    [id, target.tenantId, target.factorId, target.userId, hashCode(id, code), smsCodeTtlSeconds],
  );
  try {
    await sender.send({
      to: target.phoneNumber,
      text: `Your ACCI verification code is ${code}. It expires in 5 minutes.`,
    });
  } catch (error) {
    await pool.query('DELETE FROM public.mfa_codes WHERE id = $1', [id]);
    throw error;
  }
}

/**
 * Accepts `code` when it matches the newest live code of the factor, and consumes it. A
 * wrong code counts one attempt; after five the code is rejected even when right.
 */
export async function acceptSmsCode(
  client: pg.ClientBase | pg.Pool,
  factorId: string,
  code: string,
): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  const found = await client.query<{ id: string; code_hash: Buffer }>(
    `SELECT id, code_hash FROM public.mfa_codes
      WHERE factor_id = $1 AND consumed_at IS NULL AND expires_at > now() AND attempts < $2
      ORDER BY created_at DESC LIMIT 1`,
    [factorId, smsCodeMaxAttempts],
  );
  const row = found.rows[0];
  if (row === undefined) return false;
  if (!hashCode(row.id, code).equals(row.code_hash)) {
    await client.query('UPDATE public.mfa_codes SET attempts = attempts + 1 WHERE id = $1', [
      row.id,
    ]);
    return false;
  }
  // The condition on consumed_at makes a second, concurrent use of the same code fail.
  const consumed = await client.query(
    `UPDATE public.mfa_codes SET consumed_at = now()
      WHERE id = $1 AND consumed_at IS NULL AND attempts < $2`,
    [row.id, smsCodeMaxAttempts],
  );
  return consumed.rowCount === 1;
}
