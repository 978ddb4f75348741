/** @jest-environment jsdom */
import { fireEvent, render, screen, within } from '@testing-library/react';
import { Provider } from 'urql';
import { clientFor } from '../testing/clients';
import {
  HttpFailure,
  memoryExchange,
  noReply,
  type Responder,
  reply,
} from '../testing/memoryExchange';
import { makeSession } from '../testing/sessions';
import { UsersPage } from './UsersPage';

const usersResponse = {
  data: {
    users: [
      {
        id: 'b3c1e0d2-0000-4000-8000-000000000001',
        tenant_id: 'a1f0c9e8-0000-4000-8000-000000000001',
        email: 'ada@demo.test',
        first_name: 'Ada',
        last_name: 'Lovelace',
        status: 'active',
        last_login_at: '2025-03-14T09:26:53+00:00',
      },
      {
        id: 'b3c1e0d2-0000-4000-8000-000000000002',
        tenant_id: 'a1f0c9e8-0000-4000-8000-000000000001',
        email: 'grace@demo.test',
        first_name: 'Grace',
        last_name: 'Hopper',
        status: 'inactive',
        last_login_at: null,
      },
    ],
  },
};

function renderUsers(users: Responder) {
  const { exchange, requests } = memoryExchange({ Users: users });
  const session = makeSession();
  render(
    <Provider value={clientFor(exchange, session)}>
      <UsersPage session={session} />
    </Provider>,
  );

  return { requests };
}

describe('UsersPage', () => {
  it('names the tenant', () => {
    renderUsers(noReply);

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Users of demo.test');
  });

  it('shows loading until the users arrive', () => {
    renderUsers(noReply);

    expect(screen.getByRole('status').textContent).toBe('Loading users…');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('lists the users of the tenant', async () => {
    const { requests } = renderUsers(reply(usersResponse));

    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]?.textContent).toContain('ada@demo.test');
    expect(rows[2]?.textContent).toContain('grace@demo.test');
    expect(rows[2]?.textContent).toContain('Grace Hopper');
    expect(rows[2]?.textContent).toContain('inactive');
    expect(rows[2]?.textContent).toContain('Never');
    expect(screen.queryByRole('status')).toBeNull();
    expect(requests[0]?.headers).toEqual({
      Authorization: 'Bearer access-token-1',
      'X-Hasura-Role': 'tenant_admin',
    });
  });

  it('shows a server error and retries', async () => {
    let attempts = 0;
    const { requests } = renderUsers((request) => {
      attempts += 1;
      if (attempts > 1) return reply(usersResponse)(request);

      return {
        errors: [
          {
            message: "field 'users' not found in type: 'query_root'",
            extensions: { code: 'validation-failed' },
          },
        ],
      };
    });

    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('p')?.textContent).toBe(
      "Could not load the users: field 'users' not found in type: 'query_root'",
    );

    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));

    await screen.findByRole('table');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(requests).toHaveLength(2);
  });

  it('shows an unreachable server', async () => {
    renderUsers(() => Promise.reject(new TypeError('Failed to fetch')));

    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('p')?.textContent).toBe(
      'Could not load the users because the server could not be reached.',
    );
  });

  it('shows an HTTP failure', async () => {
    renderUsers(() => Promise.reject(new HttpFailure(502, 'Bad Gateway')));

    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('p')?.textContent).toBe(
      'Could not load the users because the server failed. Try again later.',
    );
  });
});
