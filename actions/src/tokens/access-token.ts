import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from './keys.js';

/** Hasura roles that ACCI grants through tokens, from least to most privileged. */
export const hasuraRoles = ['user', 'tenant_admin', 'platform_admin'] as const;

export type HasuraRole = (typeof hasuraRoles)[number];

/** Namespace of the Hasura claims, the default `claims_namespace` of Hasura v2. */
export const hasuraClaimsNamespace = 'https://hasura.io/jwt/claims';

/** Subject of an access token: the user, tenant and session that it acts for. */
export interface AccessTokenSubject {
  userId: string;
  tenantId: string;
  sessionId: string;
  /** Allowed roles; the most privileged one becomes `x-hasura-default-role`. */
  roles: readonly HasuraRole[];
}

export interface AccessTokenOptions {
  issuer: string;
  audience: string | undefined;
  ttlSeconds: number;
  /** Issue time in seconds since the epoch; tests pass a fixed one. */
  now?: number;
}

/** Picks the most privileged role in `roles` by the order of `hasuraRoles`. */
export function defaultRole(roles: readonly HasuraRole[]): HasuraRole {
  const ranked = hasuraRoles.filter((role) => roles.includes(role));
  const highest = ranked.at(-1);
  if (highest === undefined) throw new TypeError('An access token needs at least one role.');
  return highest;
}

/**
 * Signs an RS256 access token whose `sub`, `x-hasura-user-id`, `x-hasura-tenant-id` and
 * `x-hasura-session-id` name the subject, with a random `jti`.
 */
export async function signAccessToken(
  key: SigningKey,
  subject: AccessTokenSubject,
  options: AccessTokenOptions,
): Promise<string> {
  const issuedAt = options.now ?? Math.floor(Date.now() / 1000);
  const claims = {
    'x-hasura-allowed-roles': [...subject.roles],
    'x-hasura-default-role': defaultRole(subject.roles),
    'x-hasura-user-id': subject.userId,
    'x-hasura-tenant-id': subject.tenantId,
    'x-hasura-session-id': subject.sessionId,
  };
  const jwt = new SignJWT({ [hasuraClaimsNamespace]: claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setSubject(subject.userId)
    .setIssuer(options.issuer)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + options.ttlSeconds)
    .setJti(randomUUID());
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(key.privateKey);
}
