import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import type { ActionsConfig } from '../config.js';
import { recheckDirectoryUser } from '../directory/recheck.js';
import { ActionError } from '../errors.js';
import { parseActionPayload, textField } from '../http/action-payload.js';
import { clientInfo } from '../http/client.js';
import type { KeyValueStore } from '../store/store.js';
import { signAccessToken } from '../tokens/access-token.js';
import type { SigningKey } from '../tokens/keys.js';
import { admitClient } from './lockout.js';
import { rotateRefreshToken, successorSecret } from './refresh-rotation.js';
import { loadHasuraRoles } from './roles.js';

/** Input of the `refreshToken` action. */
export const refreshInputSchema = z.object({
  refreshToken: textField(1, 256),
});

export interface RefreshDependencies {
  config: ActionsConfig;
  pool: pg.Pool;
  signingKey: SigningKey;
  store: KeyValueStore;
}

/**
 * Handles the `refreshToken` action: rotates the refresh token and returns a new access token
 * whose roles are read afresh. Every rejection returns `invalid-refresh-token`, and the
 * reason goes to the log.
 */
export function createRefreshHandler(deps: RefreshDependencies) {
  const secret = successorSecret(deps.signingKey.privateKey);
  const { config } = deps;

  return async (request: Request, response: Response): Promise<void> => {
    const { input } = parseActionPayload(request.body, 'refreshToken', refreshInputSchema);
    const context = response.locals.context;
    const client = clientInfo(request);
    await admitClient(deps, 'refresh', client);

    const rotation = await rotateRefreshToken(deps.pool, {
      token: input.refreshToken,
      secret,
      graceSeconds: config.auth.refreshReuseGraceSeconds,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      client,
    });
    context.tenantId = rotation.subject?.tenantId;
    context.userId = rotation.subject?.userId;

    if (rotation.kind === 'rejected') {
      throw new ActionError('invalid-refresh-token', `Refresh rejected: ${rotation.reason}.`);
    }

    const { subject } = rotation;
    const directoryUser = subject.userSource === 'directory';
    if (directoryUser && (await recheckDirectoryUser(deps, subject)) === 'revoked') {
      throw new ActionError(
        'invalid-refresh-token',
        'Refresh rejected: directory-account-inactive.',
      );
    }
    const roles = await loadHasuraRoles(
      deps.pool,
      { id: subject.userId, tenantId: subject.tenantId },
      { isPlatform: subject.isPlatform },
    );
    const accessToken = await signAccessToken(
      deps.signingKey,
      { userId: subject.userId, tenantId: subject.tenantId, sessionId: subject.sessionId, roles },
      {
        issuer: config.jwt.issuer,
        audience: config.jwt.audience,
        ttlSeconds: config.accessTokenTtlSeconds,
      },
    );
    response.json({
      accessToken,
      refreshToken: rotation.refreshToken,
      expiresIn: config.accessTokenTtlSeconds,
      tokenType: 'Bearer',
    });
  };
}
