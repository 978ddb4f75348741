import { createHash, randomBytes } from 'node:crypto';

/** A new opaque refresh token and the hash under which `refresh_tokens` stores it. */
export interface RefreshToken {
  /** 32 random bytes as base64url, 43 characters; sent to the client once and never stored. */
  token: string;
  /** SHA-256 of the token's UTF-8 text, the value of `refresh_tokens.token_hash`. */
  hash: Buffer;
}

export function createRefreshToken(): RefreshToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

/**
 * Hashes a refresh token for lookup. A plain SHA-256 suffices because the token carries 256
 * random bits, so there is nothing to guess offline.
 */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
