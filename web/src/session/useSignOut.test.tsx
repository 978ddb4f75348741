/** @jest-environment jsdom */
import { jest } from '@jest/globals';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Provider } from 'urql';
import { clientFor } from '../testing/clients';
import { memoryExchange, noReply, type Responder, reply } from '../testing/memoryExchange';
import { makeSession } from '../testing/sessions';
import { signOutTimeoutMs, useSignOut } from './useSignOut';

function renderSignOut(logout: Responder) {
  const { exchange, requests } = memoryExchange({ Logout: logout });
  const client = clientFor(exchange, makeSession());
  let signedOut = 0;
  const wrapper = ({ children }: { children: ReactNode }) => (
    <Provider value={client}>{children}</Provider>
  );
  const { result } = renderHook(
    () =>
      useSignOut(() => {
        signedOut += 1;
      }),
    { wrapper },
  );

  return { result, requests, signedOut: () => signedOut };
}

afterEach(() => jest.useRealTimers());

describe('useSignOut', () => {
  it('calls logout with the access token', async () => {
    const { result, requests, signedOut } = renderSignOut(
      reply({ data: { logout: { revokedSessions: 1 } } }),
    );

    act(() => result.current.signOut());

    await waitFor(() => expect(signedOut()).toBe(1));
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.Authorization).toBe('Bearer access-token-1');
  });

  it('signs out after a network error', async () => {
    const { result, signedOut } = renderSignOut(() =>
      Promise.reject(new TypeError('Failed to fetch')),
    );

    act(() => result.current.signOut());

    await waitFor(() => expect(signedOut()).toBe(1));
  });

  it('signs out when the server is slow', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    const { result, signedOut } = renderSignOut(noReply);

    act(() => result.current.signOut());
    expect(result.current.signingOut).toBe(true);
    await act(async () => jest.advanceTimersByTime(signOutTimeoutMs - 1));
    expect(signedOut()).toBe(0);

    await act(async () => jest.advanceTimersByTime(1));

    expect(signedOut()).toBe(1);
  });

  it('sends one logout per click burst', async () => {
    const { result, requests, signedOut } = renderSignOut(
      reply({ data: { logout: { revokedSessions: 1 } } }),
    );

    act(() => result.current.signOut());
    act(() => result.current.signOut());

    await waitFor(() => expect(signedOut()).toBe(1));
    expect(requests).toHaveLength(1);
  });
});
