import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signing in the Standard Webhooks format (https://www.standardwebhooks.com): the headers
 * `webhook-id`, `webhook-timestamp` (seconds since the epoch) and `webhook-signature`, which
 * contains `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, several separated by spaces.
 */
export const signatureHeaders = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** Prefix of an installation secret; the rest is the base64 HMAC key. */
const secretPrefix = 'whsec_';

/** Default allowed clock difference between sender and receiver, in seconds. */
export const defaultToleranceSeconds = 300;

/** Generates an installation signing secret: `whsec_` and 32 random bytes in base64. */
export function generateSigningSecret(): string {
  return `${secretPrefix}${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(secretPrefix)) {
    throw new TypeError('A signing secret must start with "whsec_" followed by a base64 key.');
  }
  const key = Buffer.from(secret.slice(secretPrefix.length), 'base64');
  if (key.length < 16) throw new TypeError('A signing secret must hold at least 16 key bytes.');
  return key;
}

/** Returns the `v1,<base64>` signature of one message. */
export function signPayload(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`, 'utf8');
  return `v1,${mac.digest('base64')}`;
}

/** Returns the three Standard Webhooks headers of a message sent at `now`. */
export function signatureHeadersFor(
  secret: string,
  id: string,
  body: string,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [signatureHeaders.id]: id,
    [signatureHeaders.timestamp]: String(timestamp),
    [signatureHeaders.signature]: signPayload(secret, id, timestamp, body),
  };
}

/** Request headers as node:http, fetch or a plain object carries them. */
export type HeaderSource =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

/** Outcome of `verifySignature`; `reason` states why a message was rejected. */
export type VerificationResult =
  | { valid: true; id: string; timestamp: number }
  | { valid: false; reason: string };

export interface VerifyOptions {
  /** Allowed difference between the message's timestamp and `now`, in seconds. */
  toleranceSeconds?: number;
  now?: Date;
}

/**
 * Checks the Standard Webhooks signature of `body` (the raw request body, exactly as
 * received). Rejects a missing header, a timestamp outside the tolerance and a signature that
 * matches none of the `v1` entries; each comparison takes constant time.
 */
export function verifySignature(
  secret: string,
  headers: HeaderSource,
  body: string | Buffer,
  options: VerifyOptions = {},
): VerificationResult {
  const id = header(headers, signatureHeaders.id);
  const timestampText = header(headers, signatureHeaders.timestamp);
  const signatures = header(headers, signatureHeaders.signature);
  if (id === undefined || timestampText === undefined || signatures === undefined) {
    return { valid: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  }
  if (!/^\d{1,12}$/.test(timestampText)) {
    return { valid: false, reason: 'webhook-timestamp is not a number of seconds' };
  }
  const timestamp = Number(timestampText);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? defaultToleranceSeconds)) {
    return { valid: false, reason: 'webhook-timestamp is outside the tolerance' };
  }
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const expected = Buffer.from(signPayload(secret, id, timestamp, text).slice(3), 'base64');
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || value === undefined) continue;
    const received = Buffer.from(value, 'base64');
    if (received.length === expected.length && timingSafeEqual(received, expected)) {
      return { valid: true, id, timestamp };
    }
  }
  return { valid: false, reason: 'no v1 signature matches' };
}
