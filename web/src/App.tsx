import { useEffect, useMemo, useState } from 'react';
import { type Exchange, Provider } from 'urql';
import { createAnonymousClient, createConsoleClient } from './api/createConsoleClient';
import { requestTokenRefresh } from './api/requestTokenRefresh';
import type { ConsoleConfig } from './config';
import { ConsoleNav, type ConsolePage } from './layout/ConsoleNav';
import { SessionStore } from './session/SessionStore';
import { useSessionState } from './session/useSessionState';
import { SessionsPage } from './sessions/SessionsPage';
import { SignInPage } from './signin/SignInPage';
import { UsersPage } from './users/UsersPage';

export interface AppProps {
  config: ConsoleConfig;
  /** Storage that keeps the refresh token and profile across reloads: `sessionStorage`. */
  storage: Storage;
  /** The exchange that sends operations, `fetchExchange` by default. Tests pass their own. */
  transport?: Exchange;
}

/**
 * Renders the sign-in page until a session starts, then the console pages. On load it renews
 * a session left in `storage` by an earlier page of the same tab.
 */
export function App({ config, storage, transport }: AppProps) {
  const anonymousClient = useMemo(
    () => createAnonymousClient(config.graphqlUrl, transport),
    [config.graphqlUrl, transport],
  );
  const [store] = useState(() => new SessionStore(storage, requestTokenRefresh(anonymousClient)));
  const state = useSessionState(store);
  const session = state.status === 'signed-in' ? state.session : null;
  const userId = session?.user.id ?? null;
  const [page, setPage] = useState<ConsolePage>('users');

  useEffect(() => {
    void store.restore();
  }, [store]);

  // One client per signed-in user: renewed tokens keep it, and the next user gets an empty cache.
  const client = useMemo(
    () =>
      userId === null
        ? anonymousClient
        : createConsoleClient({
            url: config.graphqlUrl,
            currentSession: store.currentSession,
            renewRejected: store.renewRejected,
            transport,
          }),
    [userId, anonymousClient, config.graphqlUrl, store, transport],
  );

  return (
    <Provider value={client}>
      <main className="console">
        {state.status === 'restoring' && (
          <p className="hint" role="status">
            Restoring your session…
          </p>
        )}
        {state.status === 'signed-out' && (
          <SignInPage
            notice={state.notice}
            onSignIn={(next) => {
              setPage('users');
              store.signIn(next);
            }}
          />
        )}
        {session !== null && (
          <>
            <ConsoleNav
              session={session}
              page={page}
              onNavigate={setPage}
              onSignedOut={() => store.signOut()}
            />
            {page === 'users' ? <UsersPage session={session} /> : <SessionsPage />}
          </>
        )}
      </main>
    </Provider>
  );
}
