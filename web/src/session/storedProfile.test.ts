/** @jest-environment jsdom */
import { makeSession } from '../testing/sessions';
import { profileKey, readStoredProfile, writeStoredProfile } from './storedProfile';

afterEach(() => sessionStorage.clear());

describe('storedProfile', () => {
  it('reads back what it wrote', () => {
    const { organisation, user } = makeSession();

    writeStoredProfile(sessionStorage, { organisation, user });

    expect(readStoredProfile(sessionStorage)).toEqual({ organisation, user });
  });

  it('removes the profile on null', () => {
    const { organisation, user } = makeSession();
    writeStoredProfile(sessionStorage, { organisation, user });

    writeStoredProfile(sessionStorage, null);

    expect(sessionStorage.getItem(profileKey)).toBeNull();
  });

  it.each([
    ['invalid JSON', '{'],
    ['no user', '{"organisation":"demo.test"}'],
    [
      'a user without roles',
      '{"organisation":"demo.test","user":{"id":"1","tenantId":"t",' +
        '"email":"a@demo.test","firstName":"","lastName":""}}',
    ],
  ])('rejects %s', (_case, text) => {
    sessionStorage.setItem(profileKey, text);

    expect(readStoredProfile(sessionStorage)).toBeNull();
  });
});
