/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      expiresIn\n    }\n  }\n": typeof types.RefreshTokenDocument,
    "\n  mutation Logout {\n    logout {\n      revokedSessions\n    }\n  }\n": typeof types.LogoutDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      userAgent\n      ip\n      createdAt\n      lastUsedAt\n      current\n    }\n  }\n": typeof types.MySessionsDocument,
    "\n  mutation RevokeSession($sessionId: uuid!) {\n    revokeSession(sessionId: $sessionId) {\n      sessionId\n      revoked\n    }\n  }\n": typeof types.RevokeSessionDocument,
    "\n  mutation Login($tenantId: String!, $email: String!, $password: String!) {\n    login(tenantId: $tenantId, email: $email, password: $password) {\n      accessToken\n      refreshToken\n      expiresIn\n      tokenType\n      mfaRequired\n      mfaToken\n      mfaEnrolmentRequired\n      mfaMethods\n      user {\n        id\n        tenantId\n        email\n        firstName\n        lastName\n        roles\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation VerifyMfa($mfaToken: String!, $code: String!) {\n    verifyMfa(mfaToken: $mfaToken, code: $code) {\n      accessToken\n      refreshToken\n      expiresIn\n      tokenType\n      mfaRequired\n      mfaToken\n      mfaEnrolmentRequired\n      mfaMethods\n      user {\n        id\n        tenantId\n        email\n        firstName\n        lastName\n        roles\n      }\n    }\n  }\n": typeof types.VerifyMfaDocument,
    "\n  mutation EnableMfa($mfaToken: String!) {\n    enableMfa(type: \"totp\", mfaToken: $mfaToken) {\n      factorId\n      secret\n      qrCodeDataUrl\n    }\n  }\n": typeof types.EnableMfaDocument,
    "\n  mutation ConfirmMfa($mfaToken: String!, $code: String!) {\n    confirmMfa(mfaToken: $mfaToken, code: $code) {\n      recoveryCodes\n      login {\n        accessToken\n        refreshToken\n        expiresIn\n        tokenType\n        mfaRequired\n        mfaToken\n        mfaEnrolmentRequired\n        mfaMethods\n        user {\n          id\n          tenantId\n          email\n          firstName\n          lastName\n          roles\n        }\n      }\n    }\n  }\n": typeof types.ConfirmMfaDocument,
    "\n  query Users {\n    users(order_by: { email: asc }) {\n      id\n      tenant_id\n      email\n      first_name\n      last_name\n      status\n      last_login_at\n    }\n  }\n": typeof types.UsersDocument,
};
const documents: Documents = {
    "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      expiresIn\n    }\n  }\n": types.RefreshTokenDocument,
    "\n  mutation Logout {\n    logout {\n      revokedSessions\n    }\n  }\n": types.LogoutDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      userAgent\n      ip\n      createdAt\n      lastUsedAt\n      current\n    }\n  }\n": types.MySessionsDocument,
    "\n  mutation RevokeSession($sessionId: uuid!) {\n    revokeSession(sessionId: $sessionId) {\n      sessionId\n      revoked\n    }\n  }\n": types.RevokeSessionDocument,
    "\n  mutation Login($tenantId: String!, $email: String!, $password: String!) {\n    login(tenantId: $tenantId, email: $email, password: $password) {\n      accessToken\n      refreshToken\n      expiresIn\n      tokenType\n      mfaRequired\n      mfaToken\n      mfaEnrolmentRequired\n      mfaMethods\n      user {\n        id\n        tenantId\n        email\n        firstName\n        lastName\n        roles\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation VerifyMfa($mfaToken: String!, $code: String!) {\n    verifyMfa(mfaToken: $mfaToken, code: $code) {\n      accessToken\n      refreshToken\n      expiresIn\n      tokenType\n      mfaRequired\n      mfaToken\n      mfaEnrolmentRequired\n      mfaMethods\n      user {\n        id\n        tenantId\n        email\n        firstName\n        lastName\n        roles\n      }\n    }\n  }\n": types.VerifyMfaDocument,
    "\n  mutation EnableMfa($mfaToken: String!) {\n    enableMfa(type: \"totp\", mfaToken: $mfaToken) {\n      factorId\n      secret\n      qrCodeDataUrl\n    }\n  }\n": types.EnableMfaDocument,
    "\n  mutation ConfirmMfa($mfaToken: String!, $code: String!) {\n    confirmMfa(mfaToken: $mfaToken, code: $code) {\n      recoveryCodes\n      login {\n        accessToken\n        refreshToken\n        expiresIn\n        tokenType\n        mfaRequired\n        mfaToken\n        mfaEnrolmentRequired\n        mfaMethods\n        user {\n          id\n          tenantId\n          email\n          firstName\n          lastName\n          roles\n        }\n      }\n    }\n  }\n": types.ConfirmMfaDocument,
    "\n  query Users {\n    users(order_by: { email: asc }) {\n      id\n      tenant_id\n      email\n      first_name\n      last_name\n      status\n      last_login_at\n    }\n  }\n": types.UsersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      expiresIn\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      expiresIn\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout {\n      revokedSessions\n    }\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout {\n      revokedSessions\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySessions {\n    mySessions {\n      id\n      userAgent\n      ip\n      createdAt\n      lastUsedAt\n      current\n    }\n  }\n"): (typeof documents)["\n  query MySessions {\n    mySessions {\n      id\n      userAgent\n      ip\n      createdAt\n      lastUsedAt\n      current\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($sessionId: uuid!) {\n    revokeSession(sessionId: $sessionId) {\n      sessionId\n      revoked\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeSession($sessionId: uuid!) {\n    revokeSession(sessionId: $sessionId) {\n      sessionId\n      revoked\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($tenantId: String!, $email: String!, $password: String!) {\n    login(tenantId: $tenantId, email: $email, password: $password) {\n      accessToken\n      refreshToken\n      expiresIn\n      tokenType\n      mfaRequired\n      mfaToken\n      mfaEnrolmentRequired\n      mfaMethods\n      user {\n        id\n        tenantId\n        email\n        firstName\n        lastName\n        roles\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($tenantId: String!, $email: String!, $password: String!) {\n    login(tenantId: $tenantId, email: $email, password: $password) {\n      accessToken\n      refreshToken\n      expiresIn\n      tokenType\n      mfaRequired\n      mfaToken\n      mfaEnrolmentRequired\n      mfaMethods\n      user {\n        id\n        tenantId\n        email\n        firstName\n        lastName\n        roles\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyMfa($mfaToken: String!, $code: String!) {\n    verifyMfa(mfaToken: $mfaToken, code: $code) {\n      accessToken\n      refreshToken\n      expiresIn\n      tokenType\n      mfaRequired\n      mfaToken\n      mfaEnrolmentRequired\n      mfaMethods\n      user {\n        id\n        tenantId\n        email\n        firstName\n        lastName\n        roles\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation VerifyMfa($mfaToken: String!, $code: String!) {\n    verifyMfa(mfaToken: $mfaToken, code: $code) {\n      accessToken\n      refreshToken\n      expiresIn\n      tokenType\n      mfaRequired\n      mfaToken\n      mfaEnrolmentRequired\n      mfaMethods\n      user {\n        id\n        tenantId\n        email\n        firstName\n        lastName\n        roles\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableMfa($mfaToken: String!) {\n    enableMfa(type: \"totp\", mfaToken: $mfaToken) {\n      factorId\n      secret\n      qrCodeDataUrl\n    }\n  }\n"): (typeof documents)["\n  mutation EnableMfa($mfaToken: String!) {\n    enableMfa(type: \"totp\", mfaToken: $mfaToken) {\n      factorId\n      secret\n      qrCodeDataUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmMfa($mfaToken: String!, $code: String!) {\n    confirmMfa(mfaToken: $mfaToken, code: $code) {\n      recoveryCodes\n      login {\n        accessToken\n        refreshToken\n        expiresIn\n        tokenType\n        mfaRequired\n        mfaToken\n        mfaEnrolmentRequired\n        mfaMethods\n        user {\n          id\n          tenantId\n          email\n          firstName\n          lastName\n          roles\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmMfa($mfaToken: String!, $code: String!) {\n    confirmMfa(mfaToken: $mfaToken, code: $code) {\n      recoveryCodes\n      login {\n        accessToken\n        refreshToken\n        expiresIn\n        tokenType\n        mfaRequired\n        mfaToken\n        mfaEnrolmentRequired\n        mfaMethods\n        user {\n          id\n          tenantId\n          email\n          firstName\n          lastName\n          roles\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users {\n    users(order_by: { email: asc }) {\n      id\n      tenant_id\n      email\n      first_name\n      last_name\n      status\n      last_login_at\n    }\n  }\n"): (typeof documents)["\n  query Users {\n    users(order_by: { email: asc }) {\n      id\n      tenant_id\n      email\n      first_name\n      last_name\n      status\n      last_login_at\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;