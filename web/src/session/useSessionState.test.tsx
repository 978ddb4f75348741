/** @jest-environment jsdom */
import { act, renderHook } from '@testing-library/react';
import { makeSession } from '../testing/sessions';
import { SessionStore } from './SessionStore';
import { useSessionState } from './useSessionState';

afterEach(() => sessionStorage.clear());

describe('useSessionState', () => {
  it('follows sign-in and sign-out', () => {
    const store = new SessionStore(sessionStorage, async () => ({ status: 'rejected' }));
    const session = makeSession();
    const { result } = renderHook(() => useSessionState(store));
    expect(result.current).toEqual({ status: 'signed-out', notice: null });

    act(() => store.signIn(session));
    expect(result.current).toEqual({ status: 'signed-in', session });

    act(() => store.signOut());
    expect(result.current).toEqual({ status: 'signed-out', notice: null });
  });
});
