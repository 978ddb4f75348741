/** @jest-environment jsdom */
import { readTokenRoles } from './tokenRoles';

function jwtWith(payload: unknown): string {
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `eyJhbGciOiJSUzI1NiJ9.${encoded}.signature`;
}

describe('readTokenRoles', () => {
  it('reads the allowed roles', () => {
    const token = jwtWith({
      sub: 'user-1',
      'https://hasura.io/jwt/claims': { 'x-hasura-allowed-roles': ['user', 'tenant_admin'] },
    });

    expect(readTokenRoles(token)).toEqual(['user', 'tenant_admin']);
  });

  it('reads a payload with non-ASCII text', () => {
    const token = jwtWith({
      name: 'Zoë ✓',
      'https://hasura.io/jwt/claims': { 'x-hasura-allowed-roles': ['user'] },
    });

    expect(readTokenRoles(token)).toEqual(['user']);
  });

  it.each([
    ['an opaque token', 'access-token-1'],
    ['a payload that is not JSON', 'header.bm90IGpzb24.signature'],
    ['a payload without Hasura claims', jwtWith({ sub: 'user-1' })],
    [
      'roles that are not strings',
      jwtWith({ 'https://hasura.io/jwt/claims': { 'x-hasura-allowed-roles': [1] } }),
    ],
  ])('returns null for %s', (_case, token) => {
    expect(readTokenRoles(token)).toBeNull();
  });
});
