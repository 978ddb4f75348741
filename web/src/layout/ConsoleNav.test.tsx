/** @jest-environment jsdom */
import { fireEvent, render, screen } from '@testing-library/react';
import { Provider } from 'urql';
import { clientFor } from '../testing/clients';
import { memoryExchange, noReply } from '../testing/memoryExchange';
import { makeSession } from '../testing/sessions';
import { ConsoleNav, type ConsolePage } from './ConsoleNav';

function renderNav(page: ConsolePage = 'users') {
  const { exchange } = memoryExchange({ Logout: noReply });
  const pages: ConsolePage[] = [];
  render(
    <Provider value={clientFor(exchange, makeSession())}>
      <ConsoleNav
        session={makeSession()}
        page={page}
        onNavigate={(next) => pages.push(next)}
        onSignedOut={() => {}}
      />
    </Provider>,
  );

  return { pages };
}

describe('ConsoleNav', () => {
  it('names the signed-in user', () => {
    renderNav();

    expect(screen.getByText('Signed in as ada@demo.test')).toBeTruthy();
  });

  it('marks the current page', () => {
    renderNav('sessions');

    const current = screen.getByRole('button', { name: 'My sessions' });
    expect(current.getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('button', { name: 'Users' }).getAttribute('aria-current')).toBeNull();
  });

  it('navigates on click', () => {
    const { pages } = renderNav();

    fireEvent.click(screen.getByRole('button', { name: 'My sessions' }));

    expect(pages).toEqual(['sessions']);
  });

  it('disables sign-out while it runs', async () => {
    renderNav();

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    const button = await screen.findByRole('button', { name: 'Signing out…' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
  });
});
