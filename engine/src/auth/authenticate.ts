import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EngineConfig } from '../config/env.js';
import { EngineError } from '../errors.js';
import { type Session, sessionVariablesFrom } from '../execute/session.js';
import { adminRole } from '../schema/access.js';
import type { Log } from '../state.js';
import { createVerifier, hasuraClaims } from './jwt.js';

/** Resolves the session of a request from its headers. */
export type Authenticator = (headers: IncomingHttpHeaders) => Promise<Session>;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Compares secrets in constant time, hashing first so lengths leak nothing either. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function accessDenied(message: string): EngineError {
  return new EngineError('access-denied', message, { status: 200 });
}

/**
 * Rejects a missing or wrong admin secret with 401, as Hasura does. `/v1/graphql` still
 * replies 200 with the error in `errors`; the admin API and REST endpoints send the status.
 */
function secretDenied(message: string): EngineError {
  return new EngineError('access-denied', message, { status: 401 });
}

/** A session that takes its role and session variables from the request headers. */
function headerSession(headers: IncomingHttpHeaders, defaultRole: string): Session {
  const variables = sessionVariablesFrom(headers);
  delete variables['x-hasura-admin-secret'];
  delete variables['x-hasura-access-key'];
  const role = variables['x-hasura-role'] ?? defaultRole;
  variables['x-hasura-role'] = role;
  return { role, variables };
}

function bearerToken(
  headers: IncomingHttpHeaders,
  config: NonNullable<EngineConfig['jwt']>,
): string | undefined {
  if (config.header.type === 'Cookie') {
    const name = config.header.name;
    const cookies = header(headers, 'cookie') ?? '';
    for (const part of cookies.split(';')) {
      const [key, ...value] = part.trim().split('=');
      if (key === name) return decodeURIComponent(value.join('='));
    }
    return undefined;
  }
  const authorization = header(headers, 'authorization');
  if (authorization === undefined) return undefined;
  const match = /^bearer\s+(.+)$/i.exec(authorization.trim());
  if (match?.[1] === undefined) {
    throw new EngineError('invalid-headers', 'Malformed Authorization header', { status: 200 });
  }
  return match[1];
}

function claimRoles(claims: Record<string, unknown>): { allowed: string[]; fallback: string } {
  const lower = Object.fromEntries(
    Object.entries(claims).map(([key, value]) => [key.toLowerCase(), value]),
  );
  const allowed = lower['x-hasura-allowed-roles'];
  if (!Array.isArray(allowed) || !allowed.every((role) => typeof role === 'string')) {
    throw new EngineError(
      'jwt-missing-role-claims',
      'JWT claim does not contain x-hasura-allowed-roles',
      { status: 200 },
    );
  }
  const fallback = lower['x-hasura-default-role'];
  if (typeof fallback !== 'string') {
    throw new EngineError(
      'jwt-missing-role-claims',
      'JWT claim does not contain x-hasura-default-role',
      { status: 200 },
    );
  }
  return { allowed, fallback };
}

/**
 * Builds the request authenticator Hasura uses: the admin secret grants admin (which may pick
 * any role through `x-hasura-role`), a JWT grants its allowed roles, and a request with
 * neither gets the unauthorized role when one is configured.
 */
export async function createAuthenticator(config: EngineConfig, log: Log): Promise<Authenticator> {
  const verify = config.jwt === undefined ? undefined : await createVerifier(config.jwt, log);
  return async (headers) => {
    const secret = config.adminSecret;
    if (secret === undefined) return headerSession(headers, adminRole);

    const given =
      header(headers, 'x-hasura-admin-secret') ?? header(headers, 'x-hasura-access-key');
    if (given !== undefined) {
      if (!secretsEqual(given, secret))
        throw secretDenied('invalid x-hasura-admin-secret/x-hasura-access-key');
      return headerSession(headers, adminRole);
    }
    if (config.jwt !== undefined && verify !== undefined) {
      const token = bearerToken(headers, config.jwt);
      if (token !== undefined) return jwtSession(config.jwt, await verify(token), headers);
      if (config.unauthorizedRole !== undefined) return unauthorized(config.unauthorizedRole);
      throw new EngineError(
        'invalid-headers',
        "Missing 'Authorization' or 'Cookie' header in JWT authentication mode",
        { status: 200 },
      );
    }
    if (config.unauthorizedRole !== undefined) return unauthorized(config.unauthorizedRole);
    throw secretDenied('x-hasura-admin-secret/x-hasura-access-key required, but not found');
  };
}

function unauthorized(role: string): Session {
  return { role, variables: { 'x-hasura-role': role } };
}

function jwtSession(
  config: NonNullable<EngineConfig['jwt']>,
  payload: Parameters<typeof hasuraClaims>[1],
  headers: IncomingHttpHeaders,
): Session {
  const claims = hasuraClaims(config, payload);
  const { allowed, fallback } = claimRoles(claims);
  const requested = header(headers, 'x-hasura-role');
  if (requested !== undefined && !allowed.includes(requested)) {
    throw accessDenied('Your requested role is not in allowed roles');
  }
  const role = requested ?? fallback;
  const variables = sessionVariablesFrom(claims);
  delete variables['x-hasura-allowed-roles'];
  delete variables['x-hasura-default-role'];
  variables['x-hasura-role'] = role;
  const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  return { role, variables, expiresAt };
}
