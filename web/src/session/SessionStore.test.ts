/** @jest-environment jsdom */
import { jest } from '@jest/globals';
import { makeSession } from '../testing/sessions';
import { refreshTokenKey, SessionStore } from './SessionStore';

afterEach(() => {
  sessionStorage.clear();
  jest.useRealTimers();
});

describe('SessionStore', () => {
  it('starts signed out', () => {
    const store = new SessionStore(sessionStorage);

    expect(store.getState()).toEqual({ status: 'signed-out', expired: false });
  });

  it('keeps only the refresh token in sessionStorage', () => {
    const store = new SessionStore(sessionStorage);
    const session = makeSession();

    store.signIn(session);

    expect(store.getState()).toEqual({ status: 'signed-in', session });
    expect(sessionStorage.getItem(refreshTokenKey)).toBe('refresh-token-1');
    expect(sessionStorage.length).toBe(1);
  });

  it('clears the refresh token on sign-out', () => {
    const store = new SessionStore(sessionStorage);
    store.signIn(makeSession());

    store.signOut();

    expect(store.getState()).toEqual({ status: 'signed-out', expired: false });
    expect(sessionStorage.getItem(refreshTokenKey)).toBeNull();
  });

  it('notifies subscribers until they unsubscribe', () => {
    const store = new SessionStore(sessionStorage);
    const listener = jest.fn();
    const unsubscribe = store.subscribe(listener);

    store.signIn(makeSession());
    unsubscribe();
    store.signOut();

    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('expires the current session', () => {
    const store = new SessionStore(sessionStorage);
    const session = makeSession();
    store.signIn(session);

    store.expire(session);

    expect(store.getState()).toEqual({ status: 'signed-out', expired: true });
    expect(sessionStorage.getItem(refreshTokenKey)).toBeNull();
  });

  it('ignores expiry of an earlier session', () => {
    const store = new SessionStore(sessionStorage);
    const earlier = makeSession();
    const current = makeSession({ email: 'grace@demo.test' });
    store.signIn(earlier);
    store.signIn(current);

    store.expire(earlier);

    expect(store.getState()).toEqual({ status: 'signed-in', session: current });
  });

  it('expires when the token lifetime ends', () => {
    jest.useFakeTimers();
    const store = new SessionStore(sessionStorage);
    store.signIn(makeSession({}, 60));

    jest.advanceTimersByTime(59_999);
    expect(store.getState().status).toBe('signed-in');

    jest.advanceTimersByTime(1);
    expect(store.getState()).toEqual({ status: 'signed-out', expired: true });
  });

  it('cancels the expiry timer on sign-out', () => {
    jest.useFakeTimers();
    const store = new SessionStore(sessionStorage);
    store.signIn(makeSession({}, 60));
    store.signOut();

    jest.advanceTimersByTime(60_000);

    expect(store.getState()).toEqual({ status: 'signed-out', expired: false });
  });
});
