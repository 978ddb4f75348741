/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Provider } from 'urql';
import { clientFor } from '../testing/clients';
import { memoryExchange, noReply, type Responder, reply } from '../testing/memoryExchange';
import { makeSession } from '../testing/sessions';
import { SessionsPage } from './SessionsPage';

const current = {
  id: 'c1a55e00-0000-4000-8000-000000000001',
  userAgent: 'Mozilla/5.0 Firefox/140.0',
  ip: '203.0.113.7',
  createdAt: '2025-03-14T09:26:53+00:00',
  lastUsedAt: '2025-03-14T10:00:00+00:00',
  current: true,
};

const other = {
  ...current,
  id: 'c1a55e00-0000-4000-8000-000000000002',
  userAgent: null,
  ip: null,
  current: false,
};

function renderSessions(responders: Record<string, Responder>) {
  const { exchange, requests } = memoryExchange(responders);
  render(
    <Provider value={clientFor(exchange, makeSession())}>
      <SessionsPage />
    </Provider>,
  );

  return { requests };
}

function rows(): HTMLElement[] {
  return within(screen.getByRole('table')).getAllByRole('row').slice(1);
}

describe('SessionsPage', () => {
  it('shows loading first', () => {
    renderSessions({ MySessions: noReply });

    expect(screen.getByRole('status').textContent).toBe('Loading sessions…');
  });

  it('lists the sessions', async () => {
    renderSessions({ MySessions: reply({ data: { mySessions: [current, other] } }) });

    await screen.findByRole('table');
    expect(rows()[0]?.textContent).toContain('Mozilla/5.0 Firefox/140.0');
    expect(rows()[0]?.textContent).toContain('203.0.113.7');
    expect(within(rows()[0] as HTMLElement).getByText('This session')).toBeTruthy();
    expect(rows()[1]?.textContent).toContain('Unknown');
    expect(
      within(rows()[1] as HTMLElement).getByRole('button', { name: 'End session' }),
    ).toBeTruthy();
  });

  it('ends another session and reloads', async () => {
    let revoked = false;
    const listSessions: Responder = () => ({
      data: { mySessions: revoked ? [current] : [current, other] },
    });
    const revokeSession: Responder = ({ variables }) => {
      revoked = true;
      return { data: { revokeSession: { sessionId: variables.sessionId, revoked: true } } };
    };
    const { requests } = renderSessions({
      MySessions: listSessions,
      RevokeSession: revokeSession,
    });
    await screen.findByRole('table');

    fireEvent.click(screen.getByRole('button', { name: 'End session' }));

    await waitFor(() => expect(rows()).toHaveLength(1));
    const revocation = requests.find((request) => request.operationName === 'RevokeSession');
    expect(revocation?.variables).toEqual({ sessionId: other.id });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a failed revocation', async () => {
    renderSessions({
      MySessions: reply({ data: { mySessions: [current, other] } }),
      RevokeSession: reply({
        errors: [{ message: 'No such session.', extensions: { code: 'not-found' } }],
      }),
    });
    await screen.findByRole('table');

    fireEvent.click(screen.getByRole('button', { name: 'End session' }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not end the session: No such session.',
    );
  });

  it('shows an unreachable server', async () => {
    const unreachable: Responder = () => Promise.reject(new TypeError('Failed to fetch'));
    renderSessions({ MySessions: unreachable });

    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('p')?.textContent).toBe(
      'Could not load the sessions because the server could not be reached.',
    );
  });
});
