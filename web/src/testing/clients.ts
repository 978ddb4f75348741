import type { Client, Exchange } from 'urql';
import { createAnonymousClient, createConsoleClient } from '../api/createConsoleClient';
import type { Session } from '../session/session';

export const testUrl = 'http://127.0.0.1:8080/v1/graphql';

/** Creates a console client over `exchange` that sends the token of `session`, or none. */
export function clientFor(exchange: Exchange, session: Session | null = null): Client {
  if (session === null) return createAnonymousClient(testUrl, exchange);

  return createConsoleClient({
    url: testUrl,
    currentSession: () => session,
    renewRejected: async () => false,
    transport: exchange,
  });
}
