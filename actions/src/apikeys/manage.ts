import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { type Caller, callerFrom, requireLiveSession } from '../auth/caller.js';
import { loadHasuraRoles } from '../auth/roles.js';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { type ClientInfo, clientInfo } from '../http/client.js';
import { type HasuraRole, hasuraRoles } from '../tokens/access-token.js';
import { generateApiKey, keyPrefix } from './key-format.js';

/** Input of `createApiKey`; `expiresAt` is an ISO 8601 time with offset, or null. */
export const createApiKeyInputSchema = z.object({
  name: textField(1, 100).refine((name) => name.trim() !== '', 'must not be blank'),
  expiresAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 time with offset' })
    .nullish(),
  roles: z
    .array(z.enum(hasuraRoles, { error: `must each be one of ${hasuraRoles.join(', ')}` }))
    .min(1, 'must name at least one role'),
});

/** Opens the caller's live session and reads the caller's current Hasura roles. */
async function signedInCaller(pool: pg.Pool, request: Request, response: Response, action: string) {
  const { sessionVariables } = parseActionPayload(request.body, action, z.unknown());
  const caller = callerFrom(sessionVariables);
  response.locals.context.tenantId = caller.tenantId;
  response.locals.context.userId = caller.userId;
  await requireLiveSession(pool, caller);
  const tenant = await pool.query<{ is_platform: boolean }>(
    'SELECT is_platform FROM public.tenants WHERE id = $1',
    [caller.tenantId],
  );
  const isPlatform = tenant.rows[0]?.is_platform ?? false;
  const roles = await loadHasuraRoles(
    pool,
    { id: caller.userId, tenantId: caller.tenantId },
    { isPlatform },
  );
  return { caller, roles };
}

/**
 * Handles `createApiKey`: the key's roles must be among the caller's current roles. The key gets a
 * session of kind `api-key`, so its tokens pass the `active_sessions` checks of the
 * permission rules only while the key, its owner and the tenant are live.
 */
export function createCreateApiKeyHandler(deps: { pool: pg.Pool }) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input } = parseActionPayload(request.body, 'createApiKey', createApiKeyInputSchema);
    const { caller, roles } = await signedInCaller(deps.pool, request, response, 'createApiKey');

    const foreign = input.roles.find((role) => !roles.includes(role));
    if (foreign !== undefined) {
      throw new ActionError(
        'access-denied',
        `An API key may only carry roles you hold (${roles.join(', ')}), not "${foreign}".`,
      );
    }
    const expiresAt = input.expiresAt == null ? null : new Date(input.expiresAt);
    if (expiresAt !== null && expiresAt.getTime() <= Date.now()) {
      throw new ActionError('validation-failed', '"input.expiresAt" must lie in the future.');
    }

    const keyRoles = hasuraRoles.filter((role) => input.roles.includes(role));
    const created = generateApiKey();
    await storeApiKey(deps.pool, caller, {
      id: created.id,
      name: input.name.trim(),
      secretHash: created.secretHash,
      roles: keyRoles,
      expiresAt,
      client: clientInfo(request),
    });
    response.json({
      id: created.id,
      apiKey: created.key,
      name: input.name.trim(),
      roles: keyRoles,
      expiresAt: expiresAt?.toISOString() ?? null,
    });
  };
}

interface StoredKey {
  id: string;
  name: string;
  secretHash: Buffer;
  roles: HasuraRole[];
  expiresAt: Date | null;
  client: ClientInfo;
}

async function storeApiKey(pool: pg.Pool, caller: Caller, key: StoredKey): Promise<void> {
  await withTransaction(pool, async (transaction) => {
    const session = await transaction.query<{ id: string }>(
      `INSERT INTO public.sessions (tenant_id, user_id, user_agent, ip, expires_at, kind)
       VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, 'infinity'), 'api-key')
       RETURNING id`,
      [caller.tenantId, caller.userId, key.client.userAgent, key.client.ip, key.expiresAt],
    );
    await transaction.query(
      `INSERT INTO public.api_keys (id, tenant_id, user_id, session_id, name, secret_hash, roles, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        key.id,
        caller.tenantId,
        caller.userId,
        session.rows[0]?.id,
        key.name,
        key.secretHash,
        key.roles,
        key.expiresAt,
      ],
    );
    await recordAuditEvent(transaction, {
      tenantId: caller.tenantId,
      actorUserId: caller.userId,
      action: 'auth.api-key.created',
      resourceType: 'api_keys',
      resourceId: key.id,
      ip: key.client.ip,
      userAgent: key.client.userAgent,
      after: { name: key.name, roles: key.roles, expiresAt: key.expiresAt?.toISOString() ?? null },
    });
  });
}

interface KeyRow {
  id: string;
  name: string;
  roles: string[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** Handles `listApiKeys`: the caller's own keys, newest first, without secrets. */
export function createListApiKeysHandler(deps: { pool: pg.Pool }) {
  return async (request: Request, response: Response): Promise<void> => {
    const { caller } = await signedInCaller(deps.pool, request, response, 'listApiKeys');
    const result = await deps.pool.query<KeyRow>(
      `SELECT id, name, roles, created_at, expires_at, last_used_at, revoked_at
         FROM public.api_keys WHERE user_id = $1 AND tenant_id = $2
        ORDER BY created_at DESC, id`,
      [caller.userId, caller.tenantId],
    );
    response.json(
      result.rows.map((row) => ({
        id: row.id,
        name: row.name,
        prefix: keyPrefix(row.id),
        roles: row.roles,
        createdAt: row.created_at.toISOString(),
        expiresAt: row.expires_at?.toISOString() ?? null,
        lastUsedAt: row.last_used_at?.toISOString() ?? null,
        revokedAt: row.revoked_at?.toISOString() ?? null,
      })),
    );
  };
}

/** Input of `revokeApiKey`. */
export const revokeApiKeyInputSchema = z.object({ id: z.uuid({ error: 'must be a UUID' }) });

/**
 * Handles `revokeApiKey`: revokes the key and its session. Owners revoke their own keys;
 * tenant admins any key of their tenant. Other keys fail with `not-found`.
 */
export function createRevokeApiKeyHandler(deps: { pool: pg.Pool }) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input } = parseActionPayload(request.body, 'revokeApiKey', revokeApiKeyInputSchema);
    const { caller, roles } = await signedInCaller(deps.pool, request, response, 'revokeApiKey');
    const client = clientInfo(request);
    const isAdmin = roles.includes('tenant_admin');

    const revoked = await withTransaction(deps.pool, async (transaction) => {
      const key = await transaction.query<{ session_id: string }>(
        `UPDATE public.api_keys SET revoked_at = now()
          WHERE id = $1 AND tenant_id = $2 AND ($3 OR user_id = $4) AND revoked_at IS NULL
        RETURNING session_id`,
        [input.id, caller.tenantId, isAdmin, caller.userId],
      );
      const sessionId = key.rows[0]?.session_id;
      if (sessionId === undefined) return false;
      await transaction.query(
        `UPDATE public.sessions SET revoked_at = now(), revoked_reason = 'api-key-revoked'
          WHERE id = $1 AND revoked_at IS NULL`,
        [sessionId],
      );
      await recordAuditEvent(transaction, {
        tenantId: caller.tenantId,
        actorUserId: caller.userId,
        action: 'auth.api-key.revoked',
        resourceType: 'api_keys',
        resourceId: input.id,
        ip: client.ip,
        userAgent: client.userAgent,
        after: null,
      });
      return true;
    });
    if (!revoked) {
      throw new ActionError(
        'not-found',
        `No unrevoked API key "${input.id}" that you may revoke exists. List them with listApiKeys.`,
      );
    }
    response.json({ id: input.id, revoked: true });
  };
}
