/** @jest-environment jsdom */
import { render, screen, within } from '@testing-library/react';
import { UsersTable } from './UsersTable';

const ada = {
  id: 'b3c1e0d2-0000-4000-8000-000000000001',
  tenant_id: 'a1f0c9e8-0000-4000-8000-000000000001',
  email: 'ada@demo.test',
  first_name: 'Ada',
  last_name: 'Lovelace',
  status: 'active',
  last_login_at: '2025-03-14T09:26:53.589793+00:00',
};

function cellsOfRow(index: number): string[] {
  const rows = within(screen.getByRole('table')).getAllByRole('row');
  const row = rows[index + 1];
  if (row === undefined) throw new Error(`The table has no row ${index}.`);

  return within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent ?? '');
}

describe('UsersTable', () => {
  it('labels the columns', () => {
    render(<UsersTable users={[ada]} />);

    const headers = screen.getAllByRole('columnheader').map((header) => header.textContent);
    expect(headers).toEqual(['Email', 'Name', 'Status', 'Last sign-in']);
  });

  it('shows email, name and status', () => {
    render(<UsersTable users={[ada]} />);

    expect(cellsOfRow(0).slice(0, 3)).toEqual(['ada@demo.test', 'Ada Lovelace', 'active']);
  });

  it('shows the last sign-in as a date', () => {
    render(<UsersTable users={[ada]} />);

    const time = screen.getByRole('table').querySelector('time');
    expect(time?.getAttribute('dateTime')).toBe('2025-03-14T09:26:53.589793+00:00');
    expect(time?.textContent).toMatch(/2025/);
  });

  it('shows Never without a sign-in', () => {
    render(<UsersTable users={[{ ...ada, last_login_at: null }]} />);

    expect(cellsOfRow(0)[3]).toBe('Never');
  });

  it('shows a partial or missing name', () => {
    const users = [
      { ...ada, id: '1', email: 'a@demo.test', last_name: '' },
      { ...ada, id: '2', email: 'b@demo.test', first_name: '', last_name: 'Lovelace' },
      { ...ada, id: '3', email: 'c@demo.test', first_name: '', last_name: '' },
    ];
    render(<UsersTable users={users} />);

    expect(cellsOfRow(0)[1]).toBe('Ada');
    expect(cellsOfRow(1)[1]).toBe('Lovelace');
    expect(cellsOfRow(2)[1]).toBe('—');
  });

  it('keeps the order it is given', () => {
    const users = [
      { ...ada, id: '1', email: 'b@demo.test' },
      { ...ada, id: '2', email: 'a@demo.test' },
    ];
    render(<UsersTable users={users} />);

    expect(cellsOfRow(0)[0]).toBe('b@demo.test');
    expect(cellsOfRow(1)[0]).toBe('a@demo.test');
  });

  it('explains an empty list', () => {
    render(<UsersTable users={[]} />);

    expect(screen.getByText('No users to show.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
