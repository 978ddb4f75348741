import type { Session, SessionUser } from '../session/session';

/** Builds a session for tests; `user` fields override those of a tenant admin of demo.test. */
export function makeSession(user: Partial<SessionUser> = {}, expiresIn = 900): Session {
  return {
    accessToken: 'access-token-1',
    refreshToken: 'refresh-token-1',
    expiresIn,
    organisation: 'demo.test',
    user: {
      id: 'b3c1e0d2-0000-4000-8000-000000000001',
      tenantId: 'a1f0c9e8-0000-4000-8000-000000000001',
      email: 'ada@demo.test',
      firstName: 'Ada',
      lastName: 'Lovelace',
      roles: ['user', 'tenant_admin'],
      ...user,
    },
  };
}
