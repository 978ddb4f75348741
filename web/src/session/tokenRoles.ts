/** Namespace of the Hasura claims in ACCI access tokens, Hasura v2's default. */
const claimsNamespace = 'https://hasura.io/jwt/claims';

/**
 * Reads `x-hasura-allowed-roles` from the payload of a JWT, or returns null when the token is
 * not a JWT with that claim. The signature is not checked: the console only uses the roles to
 * choose `X-Hasura-Role`, and the server verifies the token on every request.
 */
export function readTokenRoles(accessToken: string): string[] | null {
  const payload = accessToken.split('.')[1];
  if (payload === undefined) return null;

  let claims: unknown;
  try {
    claims = JSON.parse(decodeBase64Url(payload));
  } catch {
    return null;
  }

  const roles = hasuraClaims(claims)?.['x-hasura-allowed-roles'];
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) return null;

  return roles;
}

function hasuraClaims(claims: unknown): Record<string, unknown> | null {
  if (typeof claims !== 'object' || claims === null) return null;

  const namespace: unknown = (claims as Record<string, unknown>)[claimsNamespace];
  if (typeof namespace !== 'object' || namespace === null) return null;

  return namespace as Record<string, unknown>;
}

/** Decodes base64url to UTF-8 text through percent-encoding, which every DOM has. */
function decodeBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const percentEncoded = Array.from(
    binary,
    (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return decodeURIComponent(percentEncoded.join(''));
}
