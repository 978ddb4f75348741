import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { admitClient } from '../auth/lockout.js';
import { loadHasuraRoles } from '../auth/roles.js';
import type { ActionsConfig } from '../config.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import type { KeyValueStore } from '../store/store.js';
import { signAccessToken } from '../tokens/access-token.js';
import type { SigningKey } from '../tokens/keys.js';
import { hashSecret, parseApiKey } from './key-format.js';

/** Input of `exchangeApiKey`. */
export const exchangeInputSchema = z.object({ apiKey: textField(1, 200) });

interface KeyRow {
  tenant_id: string;
  user_id: string;
  session_id: string;
  secret_hash: Buffer;
  roles: string[];
  is_platform: boolean;
  usable: boolean;
}

// usable repeats the conditions of active_sessions for the key's session, plus the key's own.
const findKey = `
  SELECT k.tenant_id, k.user_id, k.session_id, k.secret_hash, k.roles, t.is_platform,
         (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
          AND EXISTS (SELECT 1 FROM public.active_sessions a WHERE a.id = k.session_id)) AS usable
    FROM public.api_keys k JOIN public.tenants t ON t.id = k.tenant_id
   WHERE k.id = $1`;

export interface ExchangeDependencies {
  config: ActionsConfig;
  pool: pg.Pool;
  signingKey: SigningKey;
  store: KeyValueStore;
}

/**
 * Handles `exchangeApiKey`: returns a short-lived access token for the key's session whose
 * roles are the key's roles that the owner still holds. Every rejection returns
 * `invalid-api-key`, and the reason goes to the log.
 */
export function createExchangeApiKeyHandler(deps: ExchangeDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input } = parseActionPayload(request.body, 'exchangeApiKey', exchangeInputSchema);
    await admitClient(deps, 'api-key', clientInfo(request));

    const parsed = parseApiKey(input.apiKey);
    if (parsed === null) throw new ActionError('invalid-api-key', 'API key rejected: malformed.');
    const found = await deps.pool.query<KeyRow>(findKey, [parsed.id]);
    const key = found.rows[0];
    if (key === undefined)
      throw new ActionError('invalid-api-key', 'API key rejected: unknown id.');
    response.locals.context.tenantId = key.tenant_id;
    response.locals.context.userId = key.user_id;

    if (!timingSafeEqual(key.secret_hash, hashSecret(parsed.secret))) {
      throw new ActionError('invalid-api-key', 'API key rejected: wrong secret.');
    }
    if (!key.usable) {
      throw new ActionError(
        'invalid-api-key',
        'API key rejected: revoked, expired or owner inactive.',
      );
    }

    const owner = await loadHasuraRoles(
      deps.pool,
      { id: key.user_id, tenantId: key.tenant_id },
      { isPlatform: key.is_platform },
    );
    const roles = owner.filter((role) => key.roles.includes(role));
    if (roles.length === 0) {
      throw new ActionError(
        'invalid-api-key',
        'API key rejected: the owner holds none of its roles.',
      );
    }

    await deps.pool.query(
      `WITH k AS (UPDATE public.api_keys SET last_used_at = now() WHERE id = $1)
       UPDATE public.sessions SET last_used_at = now() WHERE id = $2`,
      [parsed.id, key.session_id],
    );
    const ttlSeconds = deps.config.auth.apiKeyTokenTtlSeconds;
    const accessToken = await signAccessToken(
      deps.signingKey,
      { userId: key.user_id, tenantId: key.tenant_id, sessionId: key.session_id, roles },
      { issuer: deps.config.jwt.issuer, audience: deps.config.jwt.audience, ttlSeconds },
    );
    response.json({ accessToken, expiresIn: ttlSeconds, tokenType: 'Bearer' });
  };
}
