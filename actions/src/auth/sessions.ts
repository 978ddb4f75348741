import type pg from 'pg';
import { recordAuditEvent } from '../audit/record.js';
import { withTransaction } from '../database/pool.js';
import type { ClientInfo } from '../http/client.js';
import type { RefreshToken } from '../tokens/refresh-token.js';

export interface SessionStart {
  tenantId: string;
  userId: string;
  client: ClientInfo;
  refreshToken: RefreshToken;
  sessionTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** New hash to store when the old one was made with other parameters, else null. */
  rehash: { previous: string; next: string } | null;
  /** First factor of the sign-in, for the audit event; password when left out. */
  method?: 'password' | 'directory';
  /** Second factor that completed the sign-in, for the audit event, when there was one. */
  secondFactor?: string;
}

/**
 * Records a sign-in in one transaction: the session, its first refresh token (hash only,
 * expiring no later than the session), the user's last_login_at, an upgraded password hash
 * when one is given, and the `auth.login.succeeded` audit event. Returns the session id.
 */
export async function startSession(pool: pg.Pool, start: SessionStart): Promise<string> {
  return withTransaction(pool, async (client) => {
    const session = await client.query<{ id: string; expires_at: Date }>(
      `INSERT INTO public.sessions (tenant_id, user_id, user_agent, ip, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
       RETURNING id, expires_at`,
      [
        start.tenantId,
        start.userId,
        start.client.userAgent,
        start.client.ip,
        start.sessionTtlSeconds,
      ],
    );
    const row = session.rows[0];
    if (row === undefined) throw new Error('INSERT INTO sessions returned no row.');

    await client.query(
      `INSERT INTO public.refresh_tokens (session_id, tenant_id, token_hash, expires_at)
       VALUES ($1, $2, $3, LEAST(now() + make_interval(secs => $4), $5))`,
      [
        row.id,
        start.tenantId,
        start.refreshToken.hash,
        start.refreshTokenTtlSeconds,
        row.expires_at,
      ],
    );
    await client.query('UPDATE public.users SET last_login_at = now() WHERE id = $1', [
      start.userId,
    ]);
    if (start.rehash !== null) {
      // Compared with the hash that was verified, so a password changed meanwhile is kept.
      await client.query(
        'UPDATE public.users SET password_hash = $2 WHERE id = $1 AND password_hash = $3',
        [start.userId, start.rehash.next, start.rehash.previous],
      );
    }
    await recordAuditEvent(client, {
      tenantId: start.tenantId,
      actorUserId: start.userId,
      action: 'auth.login.succeeded',
      resourceType: 'sessions',
      resourceId: row.id,
      ip: start.client.ip,
      userAgent: start.client.userAgent,
      after: {
        method: start.method ?? 'password',
        passwordRehashed: start.rehash !== null,
        ...(start.secondFactor === undefined ? {} : { secondFactor: start.secondFactor }),
      },
    });
    return row.id;
  });
}
