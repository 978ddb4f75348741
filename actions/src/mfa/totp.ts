import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 6238 parameters that every authenticator app supports: HMAC-SHA1, 30 s, 6 digits. */
export const totpStepSeconds = 30;
export const totpDigits = 6;
/** Steps before and after the current one that are still accepted, for clock drift. */
export const totpWindow = 1;

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Encodes bytes as RFC 4648 base32 without padding, the form otpauth URIs carry. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += base32Alphabet[(value << (5 - bits)) & 31];
  return output;
}

/** A new TOTP secret of 160 bits, the HMAC-SHA1 key length that RFC 4226 recommends. */
export function generateTotpSecret(): Buffer {
  return randomBytes(20);
}

/** Time step of `unixSeconds`. */
export function totpStep(unixSeconds: number): number {
  return Math.floor(unixSeconds / totpStepSeconds);
}

/** The RFC 4226 HOTP value of `secret` at counter `step`, as a zero-padded string. */
export function hotp(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', secret).update(counter).digest();
  const offset = (digest.at(-1) ?? 0) & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** totpDigits).padStart(totpDigits, '0');
}

/**
 * Returns the step at which `code` is valid within the window around `unixSeconds`, or null.
 * Steps at or before `lastUsedStep` never match, so each code is accepted once only and an
 * older code cannot follow a newer one.
 */
export function matchTotp(
  secret: Buffer,
  code: string,
  unixSeconds: number,
  lastUsedStep: number | null,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = totpStep(unixSeconds);
  const given = Buffer.from(code, 'utf8');
  let matched: number | null = null;
  // Every step of the window is computed, so the time taken does not reveal which one matched.
  for (let step = current - totpWindow; step <= current + totpWindow; step += 1) {
    const expected = Buffer.from(hotp(secret, step), 'utf8');
    const equal = timingSafeEqual(expected, given);
    if (equal && (lastUsedStep === null || step > lastUsedStep)) matched ??= step;
  }
  return matched;
}

/** The `otpauth://totp/` URI that authenticator apps read from the QR code. */
export function otpauthUri(secret: Buffer, issuer: string, account: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const parameters = new URLSearchParams({
    secret: base32Encode(secret),
    issuer,
    algorithm: 'SHA1',
    digits: String(totpDigits),
    period: String(totpStepSeconds),
  });
  return `otpauth://totp/${label}?${parameters.toString()}`;
}
