/** @jest-environment jsdom */
import { fireEvent, render, screen } from '@testing-library/react';
import { SessionsTable } from './SessionsTable';

const other = {
  id: 'c1a55e00-0000-4000-8000-000000000002',
  userAgent: 'curl/8.5.0',
  ip: '203.0.113.8',
  createdAt: '2025-03-14T09:26:53+00:00',
  lastUsedAt: '2025-03-14T10:00:00+00:00',
  current: false,
};

describe('SessionsTable', () => {
  it('labels the columns', () => {
    render(<SessionsTable sessions={[other]} revoking={false} onRevoke={() => {}} />);

    const headers = screen.getAllByRole('columnheader').map((header) => header.textContent);
    expect(headers).toEqual(['Browser', 'Address', 'Signed in', 'Last renewed', 'Action']);
  });

  it('revokes the chosen session', () => {
    const revoked: string[] = [];
    render(
      <SessionsTable sessions={[other]} revoking={false} onRevoke={(id) => revoked.push(id)} />,
    );

    fireEvent.click(screen.getByRole('button', { name: 'End session' }));

    expect(revoked).toEqual([other.id]);
  });

  it('disables revoking while one runs', () => {
    render(<SessionsTable sessions={[other]} revoking onRevoke={() => {}} />);

    const button = screen.getByRole('button', { name: 'End session' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
  });

  it('explains an empty list', () => {
    render(<SessionsTable sessions={[]} revoking={false} onRevoke={() => {}} />);

    expect(screen.getByText('No sessions to show.')).toBeTruthy();
  });
});
