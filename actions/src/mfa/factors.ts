import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { SecretBox } from '../crypto/secret-box.js';
import {
  generateRecoveryCode,
  hashRecoveryCode,
  normaliseRecoveryCode,
  recoveryCodeCount,
} from './recovery-codes.js';
import { acceptSmsCode } from './sms.js';
import { matchTotp } from './totp.js';

/** Kinds of second factor a user enrols; recovery codes come with either. */
export type FactorType = 'totp' | 'sms';

/** A TOTP or SMS factor of a user, confirmed or not. */
export interface Factor {
  id: string;
  tenantId: string;
  userId: string;
  type: FactorType;
  phoneNumber: string | null;
  confirmed: boolean;
  secretEncrypted: Buffer | null;
  lastUsedStep: number | null;
}

interface FactorRow {
  id: string;
  tenant_id: string;
  user_id: string;
  type: FactorType;
  phone_number: string | null;
  confirmed_at: Date | null;
  secret_encrypted: Buffer | null;
  last_used_step: string | null;
}

/** Encryption context of a TOTP secret, which binds the ciphertext to its row. */
export function totpSecretContext(factorId: string): string {
  return `auth_factors.secret_encrypted:${factorId}`;
}

/** Returns the TOTP and SMS factors of a user, oldest first. */
export async function loadFactors(
  client: pg.ClientBase | pg.Pool,
  userId: string,
): Promise<Factor[]> {
  const result = await client.query<FactorRow>(
    `SELECT id, tenant_id, user_id, type, phone_number, confirmed_at, secret_encrypted,
            last_used_step
       FROM public.auth_factors
      WHERE user_id = $1 AND type IN ('totp', 'sms')
      ORDER BY created_at, id`,
    [userId],
  );
  return result.rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    type: row.type,
    phoneNumber: row.phone_number,
    confirmed: row.confirmed_at !== null,
    secretEncrypted: row.secret_encrypted,
    lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
  }));
}

/**
 * Replaces an unconfirmed factor of the same type with a new one and returns its id. A TOTP
 * factor gets `secret` encrypted under its own id; an SMS factor gets `phoneNumber`.
 */
export async function insertFactor(
  client: pg.ClientBase,
  box: SecretBox,
  factor: {
    tenantId: string;
    userId: string;
    type: FactorType;
    secret?: Buffer;
    phoneNumber?: string;
  },
): Promise<string> {
  const id = randomUUID();
  const encrypted =
    factor.secret === undefined ? null : box.encrypt(factor.secret, totpSecretContext(id));
  await client.query(
    `DELETE FROM public.auth_factors
      WHERE user_id = $1 AND type = $2 AND confirmed_at IS NULL`,
    [factor.userId, factor.type],
  );
  await client.query(
    `INSERT INTO public.auth_factors (id, tenant_id, user_id, type, secret_encrypted, phone_number)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, factor.tenantId, factor.userId, factor.type, encrypted, factor.phoneNumber ?? null],
  );
  return id;
}

/**
 * Checks `code` against one factor and records the use: a TOTP code raises the factor's last
 * used step, so the same code or an older one fails next time, and an SMS code is consumed.
 */
export async function acceptFactorCode(
  client: pg.ClientBase | pg.Pool,
  box: SecretBox,
  factor: Factor,
  code: string,
  now = Date.now(),
): Promise<boolean> {
  if (factor.type === 'sms') {
    const accepted = await acceptSmsCode(client, factor.id, code);
    if (accepted) await markUsed(client, factor.id);
    return accepted;
  }
  if (factor.secretEncrypted === null) return false;
  const secret = box.decrypt(factor.secretEncrypted, totpSecretContext(factor.id));
  const step = matchTotp(secret, code, Math.floor(now / 1000), factor.lastUsedStep);
  if (step === null) return false;
  // Conditional on the stored step, so two requests racing with one code cannot both pass.
  const updated = await client.query(
    `UPDATE public.auth_factors SET last_used_step = $2, last_used_at = now()
      WHERE id = $1 AND (last_used_step IS NULL OR last_used_step < $2)`,
    [factor.id, step],
  );
  return updated.rowCount === 1;
}

async function markUsed(client: pg.ClientBase | pg.Pool, factorId: string): Promise<void> {
  await client.query('UPDATE public.auth_factors SET last_used_at = now() WHERE id = $1', [
    factorId,
  ]);
}

/** Consumes an unused recovery code of the user; returns false when there is none such. */
export async function acceptRecoveryCode(
  client: pg.ClientBase | pg.Pool,
  userId: string,
  input: string,
): Promise<boolean> {
  const normalised = normaliseRecoveryCode(input);
  if (normalised === null) return false;
  const used = await client.query(
    `UPDATE public.auth_factors SET last_used_at = now()
      WHERE user_id = $1 AND type = 'recovery-code' AND secret_encrypted = $2
        AND confirmed_at IS NOT NULL AND last_used_at IS NULL`,
    [userId, hashRecoveryCode(normalised)],
  );
  return used.rowCount === 1;
}

/** Replaces the user's recovery codes with ten new ones and returns them, once. */
export async function replaceRecoveryCodes(
  client: pg.ClientBase,
  user: { tenantId: string; userId: string },
): Promise<string[]> {
  await client.query(
    `DELETE FROM public.auth_factors WHERE user_id = $1 AND type = 'recovery-code'`,
    [user.userId],
  );
  const codes = Array.from({ length: recoveryCodeCount }, generateRecoveryCode);
  for (const code of codes) {
    const hash = hashRecoveryCode(normaliseRecoveryCode(code) ?? '');
    await client.query(
      `INSERT INTO public.auth_factors (tenant_id, user_id, type, secret_encrypted, confirmed_at)
       VALUES ($1, $2, 'recovery-code', $3, now())`,
      [user.tenantId, user.userId, hash],
    );
  }
  return codes;
}

/** Outcome of a code check, with the kind of factor that accepted it. */
export type CodeOutcome =
  | { accepted: true; method: FactorType | 'recovery-code' }
  | { accepted: false };

/**
 * Checks `code` against every confirmed factor of the user and then the recovery codes,
 * and consumes what accepted it.
 */
export async function acceptSecondFactor(
  client: pg.ClientBase | pg.Pool,
  box: SecretBox,
  userId: string,
  code: string,
): Promise<CodeOutcome> {
  const factors = (await loadFactors(client, userId)).filter((factor) => factor.confirmed);
  for (const factor of factors) {
    if (await acceptFactorCode(client, box, factor, code)) {
      return { accepted: true, method: factor.type };
    }
  }
  if (factors.length > 0 && (await acceptRecoveryCode(client, userId, code))) {
    return { accepted: true, method: 'recovery-code' };
  }
  return { accepted: false };
}
