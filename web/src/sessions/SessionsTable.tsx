import { formatTimestamp } from '../format/formatTimestamp';
import type { MySessionsQuery } from '../gql/graphql';

type SessionInfo = MySessionsQuery['mySessions'][number];

export interface SessionsTableProps {
  sessions: readonly SessionInfo[];
  /** True while a revocation is in flight; the revoke buttons are disabled meanwhile. */
  revoking: boolean;
  onRevoke: (sessionId: string) => void;
}

/** Renders the sign-in sessions with their browser, address and times. */
export function SessionsTable({ sessions, revoking, onRevoke }: SessionsTableProps) {
  if (sessions.length === 0) return <p className="empty">No sessions to show.</p>;

  return (
    <table className="users-table">
      <caption className="visually-hidden">Sessions</caption>
      <thead>
        <tr>
          <th scope="col">Browser</th>
          <th scope="col">Address</th>
          <th scope="col">Signed in</th>
          <th scope="col">Last renewed</th>
          <th scope="col">
            <span className="visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((session) => (
          <tr key={session.id}>
            <td>{session.userAgent ?? 'Unknown'}</td>
            <td>{session.ip ?? 'Unknown'}</td>
            <td>{formatTimestamp(session.createdAt)}</td>
            <td>{formatTimestamp(session.lastUsedAt)}</td>
            <td>
              {session.current ? (
                <span className="status" data-status="active">
                  This session
                </span>
              ) : (
                <button
                  type="button"
                  className="secondary"
                  disabled={revoking}
                  onClick={() => onRevoke(session.id)}
                >
                  End session
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
