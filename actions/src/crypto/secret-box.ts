import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One AES-256 key of `ACCI_ENCRYPTION_KEYS`. */
export interface EncryptionKey {
  /** Short name stored in every ciphertext, so decryption finds the key after a rotation. */
  id: string;
  /** 32 random bytes. */
  key: Buffer;
}

/** Encrypts secrets for storage with the first key and decrypts with any key of the ring. */
export interface SecretBox {
  /** Id of the key that encrypts. */
  readonly currentKeyId: string;
  /**
   * Encrypts `plaintext`. `context` names where the ciphertext will be stored (for example
   * `auth_factors.secret:<factor id>`) and must be given again to decrypt, so a ciphertext
   * copied to another row fails to decrypt.
   */
  encrypt(plaintext: Buffer | string, context: string): Buffer;
  /** Decrypts a ciphertext of `encrypt`; throws when the key is unknown or the data changed. */
  decrypt(ciphertext: Buffer, context: string): Buffer;
  /** Id of the key that encrypted `ciphertext`. */
  keyIdOf(ciphertext: Buffer): string;
}

/** Format byte of the ciphertext layout below; a new layout gets a new number. */
const formatVersion = 1;
const nonceLength = 12;
const tagLength = 16;
const keyLength = 32;
const keyIdPattern = /^[A-Za-z0-9_.-]{1,32}$/;

/**
 * Parses the `ACCI_ENCRYPTION_KEYS` format: a comma-separated list of `id:base64key`, where
 * each key decodes to 32 bytes and ids are unique. Throws an `Error` naming the entry by its
 * position and id, never by its key.
 */
export function parseEncryptionKeys(text: string): EncryptionKey[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const keys: EncryptionKey[] = [];
  for (const [index, entry] of entries.entries()) {
    const separator = entry.indexOf(':');
    const id = separator === -1 ? '' : entry.slice(0, separator);
    const label = `entry ${index + 1}${id === '' ? '' : ` ("${id}")`}`;
    if (!keyIdPattern.test(id)) {
      throw new Error(
        `${label} must start with a key id of 1 to 32 letters, digits, "_", "." or "-" and a colon.`,
      );
    }
    const encoded = entry.slice(separator + 1);
    const key = Buffer.from(encoded, 'base64');
    if (
      key.length !== keyLength ||
      key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')
    ) {
      throw new Error(`${label} must hold a base64 key of exactly ${keyLength} bytes.`);
    }
    if (keys.some((other) => other.id === id)) throw new Error(`${label} repeats the key id.`);
    keys.push({ id, key });
  }
  return keys;
}

/** Generates one `id:base64key` entry for `ACCI_ENCRYPTION_KEYS`. */
export function generateEncryptionKey(
  id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`,
): string {
  if (!keyIdPattern.test(id)) throw new TypeError(`Invalid encryption key id "${id}".`);
  return `${id}:${randomBytes(keyLength).toString('base64')}`;
}

/**
 * Builds the secret box of a key ring. The layout of a ciphertext is: format byte, key id
 * length, key id (ASCII), 12-byte nonce, 16-byte GCM tag, then the AES-256-GCM ciphertext.
 * The format byte, key id and `context` are authenticated as associated data.
 */
export function createSecretBox(keys: readonly EncryptionKey[]): SecretBox {
  const [current] = keys;
  if (current === undefined) throw new TypeError('createSecretBox needs at least one key.');
  const byId = new Map(keys.map((entry) => [entry.id, entry.key]));

  return {
    currentKeyId: current.id,
    encrypt(plaintext, context) {
      const header = headerOf(current.id);
      const nonce = randomBytes(nonceLength);
      const cipher = createCipheriv('aes-256-gcm', current.key, nonce);
      cipher.setAAD(Buffer.concat([header, Buffer.from(context, 'utf8')]));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([header, nonce, cipher.getAuthTag(), body]);
    },
    decrypt(ciphertext, context) {
      const parts = split(ciphertext);
      const key = byId.get(parts.keyId);
      if (key === undefined) {
        throw new Error(
          `The ciphertext was encrypted with key "${parts.keyId}", which ACCI_ENCRYPTION_KEYS lacks.`,
        );
      }
      const decipher = createDecipheriv('aes-256-gcm', key, parts.nonce);
      decipher.setAAD(Buffer.concat([parts.header, Buffer.from(context, 'utf8')]));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.body), decipher.final()]);
    },
    keyIdOf: (ciphertext) => split(ciphertext).keyId,
  };
}

function headerOf(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([Buffer.from([formatVersion, id.length]), id]);
}

function split(ciphertext: Buffer) {
  const idLength = ciphertext[1] ?? 0;
  const headerLength = 2 + idLength;
  if (
    ciphertext[0] !== formatVersion ||
    ciphertext.length < headerLength + nonceLength + tagLength
  ) {
    throw new Error('The ciphertext is not in the format of this secret box.');
  }
  const nonceEnd = headerLength + nonceLength;
  return {
    header: ciphertext.subarray(0, headerLength),
    keyId: ciphertext.subarray(2, headerLength).toString('ascii'),
    nonce: ciphertext.subarray(headerLength, nonceEnd),
    tag: ciphertext.subarray(nonceEnd, nonceEnd + tagLength),
    body: ciphertext.subarray(nonceEnd + tagLength),
  };
}
