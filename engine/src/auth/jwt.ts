import { type CryptoKey, importSPKI, importX509, type JWTPayload, jwtVerify } from 'jose';
import type { JwtConfig } from '../config/jwt-config.js';
import { EngineError } from '../errors.js';
import type { Log } from '../state.js';
import { isRecord } from '../util/json.js';
import { RemoteKeySet } from './jwks.js';

type Verifier = (token: string) => Promise<JWTPayload>;

function invalidJwt(detail: string, cause?: unknown): EngineError {
  return new EngineError('invalid-jwt', `Could not verify JWT: ${detail}`, { status: 200, cause });
}

/** Maps jose's failure codes to the reasons Hasura prints after "Could not verify JWT:". */
function reason(error: unknown): string {
  if (!(error instanceof Error) || !('code' in error)) return 'JWSError JWSInvalidSignature';
  switch (error.code) {
    case 'ERR_JWT_EXPIRED':
      return 'JWTExpired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = 'claim' in error ? error.claim : undefined;
      if (claim === 'aud') return 'JWTNotInAudience';
      if (claim === 'iss') return 'JWTNotInIssuer';
      if (claim === 'nbf') return 'JWTNotYetValid';
      return `JWTClaimsSetDecodeError "${error.message}"`;
    }
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return `JWSError (CompactDecodeError ${error.message})`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'JWSError (JWSInvalidAlgorithm)';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'JWSError JWSNoValidKey';
    default:
      return 'JWSError JWSInvalidSignature';
  }
}

async function staticKey(config: JwtConfig): Promise<CryptoKey | Uint8Array> {
  const type = config.type ?? '';
  const key = config.key ?? '';
  if (type.startsWith('HS')) return new TextEncoder().encode(key);
  if (key.includes('BEGIN CERTIFICATE')) return importX509(key, type);
  return importSPKI(key, type);
}

/** Builds the token verifier for `HASURA_GRAPHQL_JWT_SECRET`. */
export async function createVerifier(config: JwtConfig, log: Log): Promise<Verifier> {
  const options = {
    audience: config.audience,
    issuer: config.issuer,
    clockTolerance: config.allowedSkew,
    ...(config.type === undefined ? {} : { algorithms: [config.type] }),
  };
  if (config.jwkUrl !== undefined) {
    const keys = new RemoteKeySet(config.jwkUrl, log);
    return async (token) => {
      try {
        return (await jwtVerify(token, keys.getKey, options)).payload;
      } catch (error) {
        throw invalidJwt(reason(error), error);
      }
    };
  }
  const key = await staticKey(config);
  return async (token) => {
    try {
      return (await jwtVerify(token, key, options)).payload;
    } catch (error) {
      throw invalidJwt(reason(error), error);
    }
  };
}

/** Reads a value at a JSON path such as `$.hasura.claims` or `$["https://x"].roles`. */
export function readJsonPath(source: unknown, path: string): unknown {
  let rest = path.startsWith('$') ? path.slice(1) : path;
  let current: unknown = source;
  const pattern = /^(?:\.([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['((?:[^'\\]|\\.)*)'\])/;
  while (rest !== '') {
    const match = pattern.exec(rest);
    if (match === null) return undefined;
    const key = match[1] ?? match[2] ?? match[3] ?? match[4] ?? '';
    if (Array.isArray(current)) current = current[Number(key)];
    else if (isRecord(current)) current = current[key];
    else return undefined;
    rest = rest.slice(match[0].length);
  }
  return current;
}

/** Extracts Hasura's claims object from a verified payload, following the config. */
export function hasuraClaims(config: JwtConfig, payload: JWTPayload): Record<string, unknown> {
  if (config.claimsMap !== undefined) {
    const claims: Record<string, unknown> = {};
    for (const [name, source] of Object.entries(config.claimsMap)) {
      if ('value' in source) {
        claims[name] = source.value;
        continue;
      }
      const value = readJsonPath(payload, source.path) ?? source.default;
      if (value === undefined) {
        throw new EngineError(
          'jwt-invalid-claims',
          `JWT claim from claims_map, ${name} not found`,
          { status: 200 },
        );
      }
      claims[name] = value;
    }
    return claims;
  }
  const raw =
    config.claimsNamespacePath !== undefined
      ? readJsonPath(payload, config.claimsNamespacePath)
      : payload[config.claimsNamespace];
  if (raw === undefined) {
    const where = config.claimsNamespacePath ?? config.claimsNamespace;
    throw new EngineError('jwt-missing-role-claims', `claims key: '${where}' not found`, {
      status: 200,
    });
  }
  let claims: unknown = raw;
  if (config.claimsFormat === 'stringified_json' && typeof raw === 'string') {
    try {
      claims = JSON.parse(raw);
    } catch (error) {
      throw new EngineError(
        'jwt-invalid-claims',
        'invalid JWT claims: the claims are not valid JSON',
        { status: 200, cause: error },
      );
    }
  }
  if (!isRecord(claims)) {
    throw new EngineError(
      'jwt-invalid-claims',
      'invalid JWT claims: the claims must be a JSON object',
      { status: 200 },
    );
  }
  return claims;
}
