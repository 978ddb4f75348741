import { randomBytes } from 'node:crypto';
import { createSecretBox, generateEncryptionKey, parseEncryptionKeys } from './secret-box.js';

const keyA = `a:${randomBytes(32).toString('base64')}`;
const keyB = `b:${randomBytes(32).toString('base64')}`;

describe('secret box', () => {
  it('round-trips with the context', () => {
    const box = createSecretBox(parseEncryptionKeys(keyA));
    const sealed = box.encrypt('top secret', 'auth_factors.totp:1');
    expect(sealed.includes(Buffer.from('top secret'))).toBe(false);
    expect(box.decrypt(sealed, 'auth_factors.totp:1').toString()).toBe('top secret');
    expect(box.keyIdOf(sealed)).toBe('a');
  });

  it('uses a fresh nonce for each encryption', () => {
    const box = createSecretBox(parseEncryptionKeys(keyA));
    expect(box.encrypt('same', 'c').equals(box.encrypt('same', 'c'))).toBe(false);
  });

  it('rejects another context', () => {
    const box = createSecretBox(parseEncryptionKeys(keyA));
    const sealed = box.encrypt('value', 'row:1');
    expect(() => box.decrypt(sealed, 'row:2')).toThrow(
      'Unsupported state or unable to authenticate data',
    );
  });

  it('rejects a changed ciphertext', () => {
    const box = createSecretBox(parseEncryptionKeys(keyA));
    const sealed = box.encrypt('value', 'row');
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 1;
    expect(() => box.decrypt(sealed, 'row')).toThrow('unable to authenticate');
  });

  it('rejects a changed key id', () => {
    const keys = parseEncryptionKeys(`${keyA},${keyB.replace(/^b:/, 'x:')}`);
    const box = createSecretBox(keys);
    const sealed = box.encrypt('value', 'row');
    sealed[2] = 'x'.charCodeAt(0);
    expect(() => box.decrypt(sealed, 'row')).toThrow('unable to authenticate');
  });

  it('decrypts old ciphertexts after a rotation', () => {
    const old = createSecretBox(parseEncryptionKeys(keyA));
    const sealed = old.encrypt('value', 'row');
    const rotated = createSecretBox(parseEncryptionKeys(`${keyB},${keyA}`));
    expect(rotated.currentKeyId).toBe('b');
    expect(rotated.decrypt(sealed, 'row').toString()).toBe('value');
    expect(rotated.keyIdOf(rotated.encrypt('value', 'row'))).toBe('b');
  });

  it('names a missing key', () => {
    const sealed = createSecretBox(parseEncryptionKeys(keyA)).encrypt('value', 'row');
    const other = createSecretBox(parseEncryptionKeys(keyB));
    expect(() => other.decrypt(sealed, 'row')).toThrow(
      'The ciphertext was encrypted with key "a", which ACCI_ENCRYPTION_KEYS lacks.',
    );
  });

  it('rejects data of another format', () => {
    const box = createSecretBox(parseEncryptionKeys(keyA));
    expect(() => box.decrypt(Buffer.from('plain'), 'row')).toThrow(
      'The ciphertext is not in the format of this secret box.',
    );
  });
});

describe('parseEncryptionKeys', () => {
  it('reads a list and skips blanks', () => {
    const keys = parseEncryptionKeys(` ${keyA} , ,${keyB}`);
    expect(keys.map((key) => key.id)).toEqual(['a', 'b']);
    expect(keys[0]?.key).toHaveLength(32);
  });

  it('accepts generated entries', () => {
    const [key] = parseEncryptionKeys(generateEncryptionKey('k1'));
    expect(key?.id).toBe('k1');
  });

  it.each([
    ['nocolon', 'entry 1 must start with a key id'],
    [`:${randomBytes(32).toString('base64')}`, 'entry 1 must start with a key id'],
    [`a b:${randomBytes(32).toString('base64')}`, 'entry 1 ("a b") must start with a key id'],
    [
      `a:${randomBytes(16).toString('base64')}`,
      'entry 1 ("a") must hold a base64 key of exactly 32 bytes.',
    ],
    ['a:not base64!', 'entry 1 ("a") must hold a base64 key of exactly 32 bytes.'],
    [`${keyA},${keyA}`, 'entry 2 ("a") repeats the key id.'],
  ])('rejects %s', (text, message) => {
    expect(() => parseEncryptionKeys(text)).toThrow(message);
  });

  it('never puts the key into a message', () => {
    const secret = randomBytes(16).toString('base64');
    expect(() => parseEncryptionKeys(`a:${secret}`)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });
});
