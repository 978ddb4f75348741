import { hash } from '@node-rs/argon2';
import { createPasswordHasher, hasOptions, owaspPasswordHashing } from './password.js';

const cheap = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

describe('hasOptions', () => {
  const salted = 'c29tZXNhbHQ$aGFzaGhhc2hoYXNo';

  it.each([
    [`$argon2id$v=19$m=19456,t=2,p=1$${salted}`, true],
    [`$argon2id$v=19$m=65536,t=2,p=1$${salted}`, false],
    [`$argon2id$v=19$m=19456,t=3,p=1$${salted}`, false],
    [`$argon2id$v=19$m=19456,t=2,p=4$${salted}`, false],
    [`$argon2i$v=19$m=19456,t=2,p=1$${salted}`, false],
    [`$argon2id$v=16$m=19456,t=2,p=1$${salted}`, false],
    ['$2b$10$abcdefghijklmnopqrstuu', false],
  ])('checks %s', (storedHash, expected) => {
    expect(hasOptions(storedHash, owaspPasswordHashing)).toBe(expected);
  });
});

describe('createPasswordHasher', () => {
  it('hashes with the given parameters', async () => {
    const hasher = await createPasswordHasher(cheap);

    expect(await hasher.hash('secret')).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  });

  it('reports each outcome', async () => {
    const hasher = await createPasswordHasher(cheap);
    const stored = await hasher.hash('secret');

    expect(await hasher.verify(stored, 'secret')).toEqual({ outcome: 'match', needsRehash: false });
    expect(await hasher.verify(stored, 'Secret')).toEqual({
      outcome: 'mismatch',
      needsRehash: false,
    });
    expect(await hasher.verify(null, 'secret')).toEqual({ outcome: 'no-hash', needsRehash: false });
    expect(await hasher.verify('plain text', 'secret')).toEqual({
      outcome: 'unreadable-hash',
      needsRehash: false,
    });
  });

  it('asks for a rehash after a parameter change', async () => {
    const hasher = await createPasswordHasher(cheap);
    const older = await hash('secret', { memoryCost: 2048, timeCost: 1, parallelism: 1 });

    expect(await hasher.verify(older, 'secret')).toEqual({ outcome: 'match', needsRehash: true });
    expect(await hasher.verify(older, 'wrong')).toEqual({
      outcome: 'mismatch',
      needsRehash: false,
    });
  });

  it('treats an undecodable PHC string as unreadable', async () => {
    const hasher = await createPasswordHasher(cheap);

    expect(await hasher.verify('$argon2id$v=19$m=1024,t=1,p=1$AA$AA', 'secret')).toEqual({
      outcome: 'unreadable-hash',
      needsRehash: false,
    });
  });
});
