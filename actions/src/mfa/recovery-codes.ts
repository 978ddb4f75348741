import { createHash, randomBytes } from 'node:crypto';

/** Number of recovery codes that each confirmation hands out. */
export const recoveryCodeCount = 10;

// Crockford's base32 alphabet: no i, l, o or u, so a code survives being read aloud or written
// down. Sixteen characters carry 80 bits, too many to reverse a stored SHA-256 by guessing.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
const codeLength = 16;

/** Generates one recovery code in the form `xxxx-xxxx-xxxx-xxxx`. */
export function generateRecoveryCode(): string {
  const characters = [...randomBytes(codeLength)].map((byte) => alphabet[byte % 32] ?? '');
  const groups = [0, 4, 8, 12].map((start) => characters.slice(start, start + 4).join(''));
  return groups.join('-');
}

/**
 * Returns the normalised form of something a user typed as a recovery code, without dashes
 * and spaces, or null when it cannot be one.
 */
export function normaliseRecoveryCode(input: string): string | null {
  // Crockford's decoding rules: case does not matter, o reads as 0, i and l read as 1.
  const compact = input
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
  if (compact.length !== codeLength) return null;
  return [...compact].every((character) => alphabet.includes(character)) ? compact : null;
}

/** SHA-256 of a normalised recovery code, the value stored in `auth_factors.secret_encrypted`. */
export function hashRecoveryCode(normalised: string): Buffer {
  return createHash('sha256').update(normalised, 'utf8').digest();
}
