import { createHash, createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { recordAuditEvent } from '../audit/record.js';
import { withTransaction } from '../database/pool.js';
import type { ClientInfo } from '../http/client.js';
import { hashRefreshToken } from '../tokens/refresh-token.js';

/**
 * Derives the secret of successor tokens from the signing key. The successor of a token is
 * HMAC-SHA-256(secret, token), so a second use within the grace window returns the same
 * successor without storing it anywhere, and computing it requires the signing key.
 */
export function successorSecret(privateKey: KeyObject): Buffer {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  return createHash('sha256').update('acci refresh-token successor\n').update(der).digest();
}

export function successorOf(secret: Buffer, token: string): string {
  return createHmac('sha256', secret).update(token, 'utf8').digest('base64url');
}

/** Session state read with the token, which a refresh checks before it issues anything. */
export interface RefreshSubject {
  sessionId: string;
  tenantId: string;
  userId: string;
  isPlatform: boolean;
  /** `users.source`: local, or directory for users whose entry a refresh re-checks. */
  userSource: string;
}

/** Result of one rotation, decided inside the transaction and acted on after it commits. */
export type Rotation =
  | { kind: 'rotated'; subject: RefreshSubject; refreshToken: string }
  | { kind: 'rejected'; reason: string; subject: RefreshSubject | undefined };

interface TokenRow {
  id: string;
  session_id: string;
  tenant_id: string;
  user_id: string;
  token_expired: boolean;
  used_seconds_ago: number | null;
  replaced_by: string | null;
  session_revoked: boolean;
  session_expired: boolean;
  session_expires_at: Date;
  user_status: string;
  user_source: string;
  tenant_open: boolean;
  is_platform: boolean;
}

// The row lock on the token makes two concurrent refreshes with one token run one after the
// other. The second then gets the locked row as the first left it, but joined rows as of its
// own snapshot, so the successor is read by a later statement (see successorHash). set_config switches the
// transaction to asynchronous commit without a round trip of its own; see rotateRefreshToken.
const lockToken = `
  SELECT rt.id, rt.session_id, rt.tenant_id, s.user_id, u.source AS user_source,
         set_config('synchronous_commit', 'off', true) AS commit_mode,
         rt.expires_at <= now() AS token_expired,
         extract(epoch FROM clock_timestamp() - rt.used_at)::float8 AS used_seconds_ago,
         rt.replaced_by,
         s.revoked_at IS NOT NULL AS session_revoked, s.expires_at <= now() AS session_expired,
         s.expires_at AS session_expires_at, u.status AS user_status, t.is_platform,
         (t.status = 'active' OR (t.status = 'trial' AND t.trial_ends_at > now())) AS tenant_open
    FROM public.refresh_tokens rt
    JOIN public.sessions s ON s.id = rt.session_id
    JOIN public.users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id
    JOIN public.tenants t ON t.id = s.tenant_id
   WHERE rt.token_hash = $1
     FOR UPDATE OF rt`;

const rotate = `
  WITH next AS (
    INSERT INTO public.refresh_tokens (session_id, tenant_id, token_hash, expires_at)
    VALUES ($1, $2, $3, LEAST(now() + make_interval(secs => $4), $5))
    RETURNING id
  ), used AS (
    UPDATE public.refresh_tokens SET used_at = now(), replaced_by = (SELECT id FROM next)
     WHERE id = $6
  )
  UPDATE public.sessions SET last_used_at = now() WHERE id = $1`;

export interface RotationRequest {
  token: string;
  secret: Buffer;
  graceSeconds: number;
  refreshTokenTtlSeconds: number;
  client: ClientInfo;
}

/**
 * Exchanges a refresh token for its successor in one transaction. A token used before
 * returns its successor again within the grace window; after it, the whole session is
 * revoked with `refresh-token-reuse` and audited, and that revocation commits although the
 * refresh itself is rejected.
 *
 * A plain rotation commits without waiting for the WAL flush: a crash within the flush delay
 * (up to about 600 ms at PostgreSQL's defaults) loses the rotation, and the client signs in
 * again. The reuse revocation switches synchronous commit back on, so it is never lost.
 */
export function rotateRefreshToken(pool: pg.Pool, request: RotationRequest): Promise<Rotation> {
  return withTransaction(pool, async (client) => {
    const found = await client.query<TokenRow>(lockToken, [hashRefreshToken(request.token)]);
    const row = found.rows[0];
    if (row === undefined)
      return { kind: 'rejected', reason: 'token-not-found', subject: undefined };

    const subject: RefreshSubject = {
      sessionId: row.session_id,
      tenantId: row.tenant_id,
      userId: row.user_id,
      isPlatform: row.is_platform,
      userSource: row.user_source,
    };
    const closed = closedReason(row);
    if (closed !== undefined) return { kind: 'rejected', reason: closed, subject };

    const successor = successorOf(request.secret, request.token);
    if (row.used_seconds_ago !== null) {
      const stored = await successorHash(client, row.replaced_by);
      if (row.used_seconds_ago <= request.graceSeconds && matches(stored, successor)) {
        return { kind: 'rotated', subject, refreshToken: successor };
      }
      await revokeForReuse(client, row, request.client);
      return { kind: 'rejected', reason: 'token-reused', subject };
    }

    await client.query(rotate, [
      row.session_id,
      row.tenant_id,
      hashRefreshToken(successor),
      request.refreshTokenTtlSeconds,
      row.session_expires_at,
      row.id,
    ]);
    return { kind: 'rotated', subject, refreshToken: successor };
  });
}

/** Names why the token's session can no longer refresh, or undefined when it can. */
function closedReason(row: TokenRow): string | undefined {
  if (row.session_revoked) return 'session-revoked';
  if (row.session_expired) return 'session-expired';
  if (row.token_expired) return 'token-expired';
  if (row.user_status !== 'active') return `user-not-active (status "${row.user_status}")`;
  if (!row.tenant_open) return 'tenant-not-active';
  return undefined;
}

/**
 * Reads the hash of the successor row in a statement of its own, whose snapshot includes a
 * successor that a concurrent refresh committed while this one waited for the row lock.
 */
async function successorHash(client: pg.ClientBase, id: string | null): Promise<Buffer | null> {
  if (id === null) return null;
  const result = await client.query<{ token_hash: Buffer }>(
    'SELECT token_hash FROM public.refresh_tokens WHERE id = $1',
    [id],
  );
  return result.rows[0]?.token_hash ?? null;
}

function matches(storedHash: Buffer | null, successor: string): boolean {
  return storedHash !== null && timingSafeEqual(storedHash, hashRefreshToken(successor));
}

async function revokeForReuse(client: pg.ClientBase, row: TokenRow, origin: ClientInfo) {
  await client.query('SET LOCAL synchronous_commit = on');
  await client.query(
    `UPDATE public.sessions SET revoked_at = now(), revoked_reason = 'refresh-token-reuse'
      WHERE id = $1 AND revoked_at IS NULL`,
    [row.session_id],
  );
  await recordAuditEvent(client, {
    tenantId: row.tenant_id,
    actorUserId: null,
    action: 'auth.refresh.reused',
    resourceType: 'sessions',
    resourceId: row.session_id,
    ip: origin.ip,
    userAgent: origin.userAgent,
    after: {
      usedSecondsAgo: Math.round(row.used_seconds_ago ?? 0),
      revokedReason: 'refresh-token-reuse',
    },
  });
}
