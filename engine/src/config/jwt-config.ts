import { isRecord } from '../util/json.js';

/** Where a claim comes from in `claims_map`: a JSON path into the token, with a default. */
export type ClaimSource = { path: string; default?: string } | { value: string | string[] };

/** `HASURA_GRAPHQL_JWT_SECRET`, parsed. */
export interface JwtConfig {
  /** Algorithm such as `HS256` or `RS256`, required with `key`. */
  type: string | undefined;
  /** Shared secret (HS*) or PEM public key or certificate (RS*, ES*, Ed*). */
  key: string | undefined;
  jwkUrl: string | undefined;
  claimsNamespace: string;
  /** JSON path such as `$.hasura.claims`; wins over `claimsNamespace` when set. */
  claimsNamespacePath: string | undefined;
  claimsFormat: 'json' | 'stringified_json';
  claimsMap: Record<string, ClaimSource> | undefined;
  audience: string | string[] | undefined;
  issuer: string | undefined;
  /** Clock tolerance in seconds for `exp` and `nbf`. */
  allowedSkew: number;
  header: { type: 'Authorization' } | { type: 'Cookie'; name: string };
}

const variable = 'HASURA_GRAPHQL_JWT_SECRET';

function invalid(detail: string): Error {
  return new Error(`${variable} is invalid: ${detail}`);
}

function optionalString(source: Record<string, unknown>, key: string): string | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`"${key}" must be a string.`);
  return value;
}

/** Parses the JSON value of `HASURA_GRAPHQL_JWT_SECRET`. */
export function parseJwtConfig(text: string): JwtConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('it must hold a JSON object such as {"type":"HS256","key":"..."}.');
  }
  if (!isRecord(parsed)) throw invalid('it must hold a JSON object.');

  const type = optionalString(parsed, 'type');
  const key = optionalString(parsed, 'key');
  const jwkUrl = optionalString(parsed, 'jwk_url');
  if (key === undefined && jwkUrl === undefined) throw invalid('set either "key" or "jwk_url".');
  if (key !== undefined && type === undefined) throw invalid('"type" is required with "key".');

  const format = optionalString(parsed, 'claims_format') ?? 'json';
  if (format !== 'json' && format !== 'stringified_json') {
    throw invalid('"claims_format" must be "json" or "stringified_json".');
  }
  return {
    type,
    key,
    jwkUrl,
    claimsNamespace: optionalString(parsed, 'claims_namespace') ?? 'https://hasura.io/jwt/claims',
    claimsNamespacePath: optionalString(parsed, 'claims_namespace_path'),
    claimsFormat: format,
    claimsMap: parseClaimsMap(parsed.claims_map),
    audience: parseAudience(parsed.audience),
    issuer: optionalString(parsed, 'issuer'),
    allowedSkew: parseSkew(parsed.allowed_skew),
    header: parseHeader(parsed.header),
  };
}

function parseAudience(value: unknown): string | string[] | undefined {
  if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw invalid('"audience" must be a string or an array of strings.');
}

function parseSkew(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw invalid('"allowed_skew" must be a non-negative number of seconds.');
}

function parseHeader(value: unknown): JwtConfig['header'] {
  if (value === undefined || value === null) return { type: 'Authorization' };
  if (isRecord(value) && value.type === 'Authorization') return { type: 'Authorization' };
  if (isRecord(value) && value.type === 'Cookie' && typeof value.name === 'string') {
    return { type: 'Cookie', name: value.name };
  }
  throw invalid('"header" must be {"type":"Authorization"} or {"type":"Cookie","name":"..."}.');
}

function parseClaimsMap(value: unknown): Record<string, ClaimSource> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalid('"claims_map" must be an object.');
  const map: Record<string, ClaimSource> = {};
  for (const [claim, source] of Object.entries(value)) {
    if (typeof source === 'string') {
      map[claim] = { value: source };
    } else if (Array.isArray(source) && source.every((item) => typeof item === 'string')) {
      map[claim] = { value: source };
    } else if (isRecord(source) && typeof source.path === 'string') {
      const fallback = source.default;
      map[claim] =
        typeof fallback === 'string'
          ? { path: source.path, default: fallback }
          : { path: source.path };
    } else {
      throw invalid(`"claims_map.${claim}" must be a string, a list or {"path": "..."}.`);
    }
  }
  return map;
}
