import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { hasuraClaimsNamespace } from '../tokens/access-token.js';
import type { SigningKey } from '../tokens/keys.js';

/** Hasura role of plugin tokens; its rules in hasura/metadata check `plugin_grants`. */
export const pluginRole = 'plugin';

/** Session variable that names the installation a plugin token acts for. */
export const installationClaim = 'x-hasura-plugin-installation-id';

export interface PluginTokenOptions {
  issuer: string;
  audience: string | undefined;
  ttlSeconds: number;
  now?: number;
}

/**
 * Signs the RS256 token a plugin uses to call GraphQL for one delivery: role `plugin` only,
 * the installation's tenant and id as session variables, valid for `ttlSeconds`. What it may
 * read is decided by the rules of the role, which require the installation to be enabled
 * and to hold the permission, so disabling the plugin stops a token that is still valid.
 */
export async function signPluginToken(
  key: SigningKey,
  subject: { installationId: string; tenantId: string },
  options: PluginTokenOptions,
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = options.now ?? Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + options.ttlSeconds;
  const claims = {
    'x-hasura-allowed-roles': [pluginRole],
    'x-hasura-default-role': pluginRole,
    'x-hasura-tenant-id': subject.tenantId,
    [installationClaim]: subject.installationId,
  };
  const jwt = new SignJWT({ [hasuraClaimsNamespace]: claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setSubject(`plugin:${subject.installationId}`)
    .setIssuer(options.issuer)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID());
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return { token: await jwt.sign(key.privateKey), expiresAt: new Date(expiresAt * 1000) };
}
