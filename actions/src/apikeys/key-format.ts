import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A new API key: its id, the full key shown once, and the hash stored in `api_keys`. */
export interface NewApiKey {
  id: string;
  key: string;
  secretHash: Buffer;
}

const keyPattern = /^acci_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

/** Returns the public start of a key, `acci_<id without dashes>_`. */
export function keyPrefix(id: string): string {
  return `acci_${id.replaceAll('-', '')}_`;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * Generates a key `acci_<id>_<secret>`: the id lets the server find the row without a scan,
 * the secret is 32 random bytes as base64url, stored only as SHA-256.
 */
export function generateApiKey(): NewApiKey {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { id, key: `${keyPrefix(id)}${secret}`, secretHash: hashSecret(secret) };
}

/** Splits a key into its id (with dashes) and secret, or returns null when it is malformed. */
export function parseApiKey(key: string): { id: string; secret: string } | null {
  const match = keyPattern.exec(key);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  const hex = match[1];
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, secret: match[2] };
}
