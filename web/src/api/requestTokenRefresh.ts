import type { Client } from 'urql';
import { graphql } from '../gql';
import type { RefreshOutcome, RefreshTokens } from '../session/SessionStore';
import { hasErrorCode } from './hasErrorCode';

const RefreshTokenMutation = graphql(`
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      expiresIn
    }
  }
`);

/**
 * Returns the function that renews tokens with the "refreshToken" mutation through `client`,
 * which must send no access token: the one the session holds may have run out, and Hasura
 * would reject the request before the action runs.
 */
export function requestTokenRefresh(client: Client): RefreshTokens {
  return async (refreshToken: string): Promise<RefreshOutcome> => {
    const result = await client.mutation(RefreshTokenMutation, { refreshToken }).toPromise();
    if (result.error !== undefined) {
      // Only this code says the token is used up. Anything else, such as a network error,
      // "too-many-requests" or a server failure, may pass, so the token is kept for a retry.
      if (hasErrorCode(result.error, 'invalid-refresh-token')) return { status: 'rejected' };

      return { status: 'unavailable' };
    }

    const tokens = result.data?.refreshToken;
    if (tokens === undefined) return { status: 'unavailable' };

    return { status: 'renewed', tokens: { ...tokens } };
  };
}
