import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';

/** Purpose of a mailed single-use token, the values of `user_tokens.purpose`. */
export type UserTokenPurpose = 'password-reset' | 'invite';

/** A new mailed token: the text for the link and the SHA-256 stored in `user_tokens`. */
export interface MailToken {
  token: string;
  hash: Buffer;
}

export function hashMailToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** 32 random bytes as base64url; a plain SHA-256 suffices to store 256 random bits. */
export function createMailToken(): MailToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashMailToken(token) };
}

/**
 * Stores a token for `purpose` that expires after `ttlSeconds`, and marks every earlier
 * unused token of the same purpose of the user as used, so only the newest link works.
 * Returns the expiry.
 */
export async function storeUserToken(
  client: pg.ClientBase,
  token: { tenantId: string; userId: string; purpose: UserTokenPurpose; hash: Buffer },
  ttlSeconds: number,
): Promise<Date> {
  await client.query(
    `UPDATE public.user_tokens SET used_at = now()
      WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
    [token.userId, token.purpose],
  );
  const result = await client.query<{ expires_at: Date }>(
    `INSERT INTO public.user_tokens (tenant_id, user_id, purpose, token_hash, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
     RETURNING expires_at`,
    [token.tenantId, token.userId, token.purpose, token.hash, ttlSeconds],
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error('INSERT INTO user_tokens returned no row.');
  return row.expires_at;
}

/** A token that is unused and unexpired, with the state of its user and tenant. */
export interface RedeemableToken {
  id: string;
  tenantId: string;
  userId: string;
  email: string;
  userStatus: string;
  userSource: string;
  tenantOpen: boolean;
  security: unknown;
}

/**
 * Finds the unused, unexpired token of `purpose` whose hash matches `token`, or null. The
 * caller still checks the user and tenant state that the row carries.
 */
export async function findRedeemableToken(
  client: pg.Pool | pg.ClientBase,
  purpose: UserTokenPurpose,
  token: string,
): Promise<RedeemableToken | null> {
  const result = await client.query<RedeemableToken>(
    `SELECT ut.id, ut.tenant_id AS "tenantId", ut.user_id AS "userId", u.email::text AS email,
            u.status AS "userStatus", u.source AS "userSource",
            (t.status = 'active' OR (t.status = 'trial' AND t.trial_ends_at > now()))
              AS "tenantOpen",
            t.configuration -> 'security' AS security
       FROM public.user_tokens ut
       JOIN public.users u ON u.id = ut.user_id AND u.tenant_id = ut.tenant_id
       JOIN public.tenants t ON t.id = ut.tenant_id
      WHERE ut.token_hash = $1 AND ut.purpose = $2
        AND ut.used_at IS NULL AND ut.expires_at > now()`,
    [hashMailToken(token), purpose],
  );
  return result.rows[0] ?? null;
}

/**
 * Marks the token used. Returns false when another request used it first, so a token works
 * exactly once even under concurrent redemption.
 */
export async function consumeUserToken(client: pg.ClientBase, id: string): Promise<boolean> {
  const result = await client.query(
    'UPDATE public.user_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL',
    [id],
  );
  return result.rowCount === 1;
}
