import { Client, cacheExchange, type Exchange, fetchExchange, mapExchange } from 'urql';
import { requestRole, type Session } from '../session/session';
import { hasErrorCode } from './hasErrorCode';

export interface ConsoleClientOptions {
  /** The GraphQL endpoint, e.g. "http://localhost:8080/v1/graphql". */
  url: string;
  /** The session whose token is sent, or null to send requests as role "anonymous". */
  session: Session | null;
  /** Called when the server rejects the token with error code "invalid-jwt". */
  onInvalidToken: () => void;
  /** The exchange that sends operations to the server. Defaults to `fetchExchange`. */
  transport?: Exchange;
}

/**
 * Creates the urql client for one session. The client caches results, so the console builds a
 * new client whenever the session changes rather than showing one user's data to the next.
 */
export function createConsoleClient(options: ConsoleClientOptions): Client {
  const { url, session, onInvalidToken, transport = fetchExchange } = options;
  const reportInvalidToken = mapExchange({
    onError(error) {
      if (hasErrorCode(error, 'invalid-jwt')) onInvalidToken();
    },
  });

  return new Client({
    url,
    // Hasura v2 accepts /v1/graphql requests over POST only, so queries must not switch to GET.
    preferGetMethod: false,
    fetchOptions: { headers: requestHeaders(session) },
    exchanges: [cacheExchange, reportInvalidToken, transport],
  });
}

function requestHeaders(session: Session | null): Record<string, string> {
  if (session === null) return {};

  return {
    Authorization: `Bearer ${session.accessToken}`,
    'X-Hasura-Role': requestRole(session.user),
  };
}
