import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** argon2id cost parameters, named as @node-rs/argon2 names them. */
export interface PasswordHashOptions {
  /** Memory in KiB (`m=` in the PHC string). */
  memoryCost: number;
  /** Number of passes (`t=`). */
  timeCost: number;
  /** Number of lanes (`p=`). */
  parallelism: number;
}

/**
 * The minimum argon2id configuration of the OWASP Password Storage Cheat Sheet: 19 MiB of
 * memory, two passes, one lane. Lower values are for tests only.
 */
export const owaspPasswordHashing: PasswordHashOptions = {
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

/**
 * Outcome of checking a password: `match`, `mismatch`, `no-hash` when the user has no
 * password, or `unreadable-hash` when the stored value is not an argon2 PHC string.
 */
export type PasswordOutcome = 'match' | 'mismatch' | 'no-hash' | 'unreadable-hash';

export interface PasswordCheck {
  outcome: PasswordOutcome;
  /** True when the password matched but the hash was made with other parameters. */
  needsRehash: boolean;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * Checks `password` against `storedHash`. A null or unreadable hash is checked against a
   * dummy hash instead and never matches, so every call costs one argon2 verification.
   */
  verify(storedHash: string | null, password: string): Promise<PasswordCheck>;
}

// PHC string of argon2 as the reference implementation writes it, for example
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> with unpadded base64 salt and hash.
const phcPattern =
  /^\$argon2(id|i|d)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/**
 * Creates the hasher, computing its dummy hash once with the same options as real hashes.
 * `hash` and `verify` of @node-rs/argon2 are napi async tasks, which run on the libuv thread
 * pool and so off the event loop.
 */
export async function createPasswordHasher(options: PasswordHashOptions): Promise<PasswordHasher> {
  const dummyHash = await hash(randomBytes(32), options);

  return {
    hash: (password) => hash(password, options),
    async verify(storedHash, password) {
      if (storedHash === null || !phcPattern.test(storedHash)) {
        await verify(dummyHash, password);
        return { outcome: storedHash === null ? 'no-hash' : 'unreadable-hash', needsRehash: false };
      }
      // A PHC string with, for example, a salt of the wrong length passes the pattern but
      // fails to decode, so a throw counts as an unreadable hash.
      const valid = await verify(storedHash, password).catch(() => null);
      if (valid === null) return { outcome: 'unreadable-hash', needsRehash: false };
      if (!valid) return { outcome: 'mismatch', needsRehash: false };
      return { outcome: 'match', needsRehash: !hasOptions(storedHash, options) };
    },
  };
}

/**
 * Tells whether a stored hash is argon2id version 19 made with exactly `options`. Older
 * argon2i, argon2d and version 16 hashes still verify but are replaced on the next sign-in.
 */
export function hasOptions(storedHash: string, options: PasswordHashOptions): boolean {
  const match = phcPattern.exec(storedHash);
  if (match === null) return false;
  const [, variant, version, memoryCost, timeCost, parallelism] = match;
  return (
    variant === 'id' &&
    version === '19' &&
    Number(memoryCost) === options.memoryCost &&
    Number(timeCost) === options.timeCost &&
    Number(parallelism) === options.parallelism
  );
}
