/** The signed-in user, as the "login" mutation returns it. */
export interface SessionUser {
  id: string;
  tenantId: string;
  email: string;
  /** `firstName` and `lastName` are empty strings when the user has not given them. */
  firstName: string;
  lastName: string;
  /** Hasura role names: "user", "tenant_admin" or "platform_admin". */
  roles: readonly string[];
}

/** The tokens that "login", "verifyMfa" and "refreshToken" return. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token in seconds, counted from when the tokens arrived. */
  expiresIn: number;
}

/** A signed-in session of the console. */
export interface Session extends SessionTokens {
  /** The organisation as entered at sign-in: a tenant id or one of its domains. */
  organisation: string;
  user: SessionUser;
}

/** The Hasura roles the console sends in `X-Hasura-Role`. */
export type RequestRole = 'tenant_admin' | 'user';

/**
 * Chooses the role for requests: "tenant_admin" when the user has it, otherwise "user".
 * A "platform_admin" without "tenant_admin" is treated as "user" inside the tenant.
 */
export function requestRole(user: SessionUser): RequestRole {
  return user.roles.includes('tenant_admin') ? 'tenant_admin' : 'user';
}
