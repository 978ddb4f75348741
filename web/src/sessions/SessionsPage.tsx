import { useState } from 'react';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { SessionsTable } from './SessionsTable';

const MySessionsQuery = graphql(`
  query MySessions {
    mySessions {
      id
      userAgent
      ip
      createdAt
      lastUsedAt
      current
    }
  }
`);

const RevokeSessionMutation = graphql(`
  mutation RevokeSession($sessionId: uuid!) {
    revokeSession(sessionId: $sessionId) {
      sessionId
      revoked
    }
  }
`);

/** Lists the signed-in user's live sessions, with a button to end each other session. */
export function SessionsPage() {
  const [{ data, fetching, error }, reexecuteQuery] = useQuery({ query: MySessionsQuery });
  const [revoking, revokeSession] = useMutation(RevokeSessionMutation);
  const [revokeFailure, setRevokeFailure] = useState<string | null>(null);
  const refetch = () => reexecuteQuery({ requestPolicy: 'network-only' });

  async function handleRevoke(sessionId: string) {
    setRevokeFailure(null);
    const result = await revokeSession({ sessionId });
    if (result.error !== undefined) {
      setRevokeFailure(describeError('Could not end the session', result.error));
    }
    refetch();
  }

  return (
    <section className="sessions">
      <header className="page-header">
        <h1>My sessions</h1>
      </header>
      <p className="hint">
        Every browser where you are signed in. Ending a session revokes its access at once, and that
        browser is signed out when it next renews its token.
      </p>
      {error !== undefined && !fetching && (
        <div className="error" role="alert">
          <p>{describeError('Could not load the sessions', error)}</p>
          <button type="button" onClick={refetch}>
            Try again
          </button>
        </div>
      )}
      {revokeFailure !== null && (
        <p className="error" role="alert">
          {revokeFailure}
        </p>
      )}
      {fetching && data === undefined && (
        <p className="hint" role="status">
          Loading sessions…
        </p>
      )}
      {data !== undefined && (
        <SessionsTable
          sessions={data.mySessions}
          revoking={revoking.fetching}
          onRevoke={handleRevoke}
        />
      )}
    </section>
  );
}

function describeError(failedAction: string, error: CombinedError): string {
  const serverMessage = error.graphQLErrors[0]?.message;
  if (serverMessage !== undefined) return `${failedAction}: ${serverMessage}`;
  if (error.response === undefined)
    return `${failedAction} because the server could not be reached.`;

  return `${failedAction} because the server failed. Try again later.`;
}
