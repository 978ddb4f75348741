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
}

/** Renders the users of the signed-in tenant. */
export function UsersPage({ session }: UsersPageProps) {
  const [{ data, fetching, error }, reexecuteQuery] = useQuery({ query: UsersQuery });

  return (
    <section className="users">
      <header className="page-header">
        <h1>Users of {session.organisation}</h1>
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
