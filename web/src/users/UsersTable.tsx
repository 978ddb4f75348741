import { formatTimestamp } from '../format/formatTimestamp';
import type { UsersQuery } from '../gql/graphql';

type User = UsersQuery['users'][number];

export interface UsersTableProps {
  users: readonly User[];
}

/** Renders a table of users with their email, name, status and last sign-in. */
export function UsersTable({ users }: UsersTableProps) {
  if (users.length === 0) return <p className="empty">No users to show.</p>;

  return (
    <table className="users-table">
      <caption className="visually-hidden">Users</caption>
      <thead>
        <tr>
          <th scope="col">Email</th>
          <th scope="col">Name</th>
          <th scope="col">Status</th>
          <th scope="col">Last sign-in</th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.id}>
            <td>{user.email}</td>
            <td>{fullName(user) ?? '—'}</td>
            <td>
              <span className="status" data-status={user.status}>
                {user.status}
              </span>
            </td>
            <td>
              <LastSignIn timestamp={user.last_login_at} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LastSignIn({ timestamp }: { timestamp: string | null }) {
  if (timestamp === null) return 'Never';

  return formatTimestamp(timestamp);
}

function fullName(user: User): string | null {
  const name = `${user.first_name.trim()} ${user.last_name.trim()}`.trim();
  return name === '' ? null : name;
}
