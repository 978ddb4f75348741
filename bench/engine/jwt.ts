import { createHmac, timingSafeEqual } from 'node:crypto';

/** HS256 key shared by the engine, the PostGraphile server and the raw SQL server. */
export const benchJwtKey = 'bench-engine-jwt-key-0123456789abcdef0123456789';

/** Session variables of the bench caller, as the access tokens of the action server carry. */
export interface BenchClaims {
  'x-hasura-allowed-roles': string[];
  'x-hasura-default-role': string;
  'x-hasura-user-id': string;
  'x-hasura-tenant-id': string;
  'x-hasura-session-id': string;
}

const namespace = 'https://hasura.io/jwt/claims';

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function signature(input: string): Buffer {
  return createHmac('sha256', benchJwtKey).update(input).digest();
}

/** Signs an HS256 token valid for one hour with `claims` under Hasura's claims namespace. */
export function signBenchToken(claims: BenchClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = { sub: claims['x-hasura-user-id'], iat: now, exp: now + 3600, [namespace]: claims };
  const input = `${header}.${base64url(JSON.stringify(body))}`;
  return `${input}.${base64url(signature(input))}`;
}

/**
 * Verifies a bearer token signed by `signBenchToken` and returns its claims, or null when the
 * header is missing, the signature does not match or the token has expired.
 */
export function verifyBenchToken(authorization: string | undefined): BenchClaims | null {
  if (authorization?.startsWith('Bearer ') !== true) return null;
  const [header, body, mac] = authorization.slice(7).split('.');
  if (header === undefined || body === undefined || mac === undefined) return null;
  const expected = signature(`${header}.${body}`);
  const actual = Buffer.from(mac, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;

  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
    exp?: number;
    [namespace]?: BenchClaims;
  };
  if (payload.exp === undefined || payload.exp < Date.now() / 1000) return null;
  return payload[namespace] ?? null;
}

/** Picks the role of a request: the `x-hasura-role` header when allowed, else the default. */
export function requestRole(claims: BenchClaims, header: string | undefined): string | null {
  if (header === undefined) return claims['x-hasura-default-role'];
  return claims['x-hasura-allowed-roles'].includes(header) ? header : null;
}
