import { Client, cacheExchange, type Exchange, fetchExchange } from 'urql';
import { type AuthorizationOptions, authorizationExchange } from './authorizationExchange';

export interface ConsoleClientOptions extends AuthorizationOptions {
  /** The GraphQL endpoint, e.g. "http://localhost:8080/v1/graphql". */
  url: string;
  /** The exchange that sends operations to the server. Defaults to `fetchExchange`. */
  transport?: Exchange;
}

/**
 * Creates the urql client for one signed-in user. Each request carries the access token that
 * is current when it is sent, so renewing the token keeps the client and its cache. The
 * console builds a new client for the next user rather than showing one user's data to the
 * next.
 */
export function createConsoleClient(options: ConsoleClientOptions): Client {
  const { url, transport = fetchExchange } = options;

  return new Client({
    url,
    // Hasura v2 accepts /v1/graphql requests over POST only, so queries must not switch to GET.
    preferGetMethod: false,
    exchanges: [cacheExchange, authorizationExchange(options), transport],
  });
}

/**
 * Creates a client that sends no token, as Hasura's role "anonymous". Sign-in, the second
 * factor and token renewal go through it, since their callers have no valid access token.
 */
export function createAnonymousClient(url: string, transport?: Exchange): Client {
  return createConsoleClient({
    url,
    currentSession: () => null,
    renewRejected: async () => false,
    transport,
  });
}
