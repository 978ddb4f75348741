import { useMemo } from 'react';
import { type Exchange, Provider } from 'urql';
import { createConsoleClient } from './api/createConsoleClient';
import type { ConsoleConfig } from './config';
import type { SessionStore } from './session/SessionStore';
import { useSessionState } from './session/useSessionState';
import { SignInPage } from './signin/SignInPage';
import { UsersPage } from './users/UsersPage';

export interface AppProps {
  config: ConsoleConfig;
  store: SessionStore;
  /** The exchange that sends operations, `fetchExchange` by default. Tests pass their own. */
  transport?: Exchange;
}

/** Renders the sign-in page until a session starts, then the users page. */
export function App({ config, store, transport }: AppProps) {
  const state = useSessionState(store);
  const session = state.status === 'signed-in' ? state.session : null;
  const client = useMemo(
    () =>
      createConsoleClient({
        url: config.graphqlUrl,
        session,
        onInvalidToken: () => {
          if (session !== null) store.expire(session);
        },
        transport,
      }),
    [config.graphqlUrl, session, store, transport],
  );

  return (
    <Provider value={client}>
      <main className="console">
        {session === null ? (
          <SignInPage
            sessionExpired={state.status === 'signed-out' && state.expired}
            onSignIn={(next) => store.signIn(next)}
          />
        ) : (
          <UsersPage session={session} onSignOut={() => store.signOut()} />
        )}
      </main>
    </Provider>
  );
}
