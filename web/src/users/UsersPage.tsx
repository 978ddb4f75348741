import { type CombinedError, useQuery } from 'urql';
import { graphql } from '../gql';
import type { Session } from '../session/session';
import { UsersTable } from './UsersTable';

const UsersQuery = graphql(`
  query Users {
    users(order_by: { email: asc }) {
      id
      tenant_id
      email
      first_name
      last_name
      status
      last_login_at
    }
  }
`);

export interface UsersPageProps {
  session: Session;
  onSignOut: () => void;
}

/** Renders the users of the signed-in tenant, with a button to sign out. */
export function UsersPage({ session, onSignOut }: UsersPageProps) {
  const [{ data, fetching, error }, reexecuteQuery] = useQuery({ query: UsersQuery });

  return (
    <section className="users">
      <header className="page-header">
        <div>
          <h1>Users of {session.organisation}</h1>
          <p className="hint">Signed in as {session.user.email}</p>
        </div>
        <button type="button" className="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      {error !== undefined && !fetching && (
        <div className="error" role="alert">
          <p>{describeError(error)}</p>
          <button type="button" onClick={() => reexecuteQuery({ requestPolicy: 'network-only' })}>
            Try again
          </button>
        </div>
      )}
      {fetching && data === undefined && (
        <p className="hint" role="status">
          Loading users…
        </p>
      )}
      {data !== undefined && <UsersTable users={data.users} />}
    </section>
  );
}

function describeError(error: CombinedError): string {
  const serverMessage = error.graphQLErrors[0]?.message;
  if (serverMessage !== undefined) return `Could not load the users: ${serverMessage}`;

  if (error.response === undefined) {
    return 'Could not load the users because the server could not be reached.';
  }

  return 'Could not load the users because the server failed. Try again later.';
}
