import type { Session } from '../session/session';
import { useSignOut } from '../session/useSignOut';

/** The pages of the signed-in console. */
export type ConsolePage = 'users' | 'sessions';

const pageLabels: Record<ConsolePage, string> = {
  users: 'Users',
  sessions: 'My sessions',
};

export interface ConsoleNavProps {
  session: Session;
  page: ConsolePage;
  onNavigate: (page: ConsolePage) => void;
  /** Called after the server was asked to end the session, whatever it answered. */
  onSignedOut: () => void;
}

/** The bar above every console page: the pages, the signed-in user and the sign-out button. */
export function ConsoleNav({ session, page, onNavigate, onSignedOut }: ConsoleNavProps) {
  const { signOut, signingOut } = useSignOut(onSignedOut);

  return (
    <nav className="console-nav" aria-label="Console">
      <ul>
        {(Object.keys(pageLabels) as ConsolePage[]).map((name) => (
          <li key={name}>
            <button
              type="button"
              className="link"
              aria-current={name === page ? 'page' : undefined}
              onClick={() => onNavigate(name)}
            >
              {pageLabels[name]}
            </button>
          </li>
        ))}
      </ul>
      <p className="hint">Signed in as {session.user.email}</p>
      <button type="button" className="secondary" disabled={signingOut} onClick={signOut}>
        {signingOut ? 'Signing out…' : 'Sign out'}
      </button>
    </nav>
  );
}
