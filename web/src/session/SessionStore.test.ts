/** @jest-environment jsdom */
import { jest } from '@jest/globals';
import { makeSession } from '../testing/sessions';
import {
  type RefreshOutcome,
  refreshDelayMs,
  refreshRetryDelayMs,
  refreshTokenKey,
  SessionStore,
} from './SessionStore';
import { profileKey, writeStoredProfile } from './storedProfile';

/** A refresh function that returns `outcomes` in turn and records every token it was sent. */
function scriptedRefresh(...outcomes: RefreshOutcome[]) {
  const sent: string[] = [];
  const refresh = async (refreshToken: string): Promise<RefreshOutcome> => {
    sent.push(refreshToken);
    return outcomes.shift() ?? { status: 'rejected' };
  };

  return { refresh, sent };
}

function renewed(index: number, expiresIn = 900): RefreshOutcome {
  return {
    status: 'renewed',
    tokens: { accessToken: `access-${index}`, refreshToken: `refresh-${index}`, expiresIn },
  };
}

function storeSession() {
  const { organisation, user } = makeSession();
  sessionStorage.setItem(refreshTokenKey, 'stored-refresh');
  writeStoredProfile(sessionStorage, { organisation, user });
}

/** Lets the promise callbacks of a settled refresh run under fake timers. */
async function settle() {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

afterEach(() => {
  sessionStorage.clear();
  jest.useRealTimers();
});

describe('refreshDelayMs', () => {
  it('renews a minute before the end', () => {
    expect(refreshDelayMs(900)).toBe(840_000);
  });

  it('renews short lifetimes halfway', () => {
    expect(refreshDelayMs(60)).toBe(30_000);
  });

  it('renews at once without a lifetime', () => {
    expect(refreshDelayMs(-5)).toBe(0);
  });
});

describe('SessionStore', () => {
  it('starts signed out without a stored token', () => {
    const store = new SessionStore(sessionStorage, scriptedRefresh().refresh);

    expect(store.getState()).toEqual({ status: 'signed-out', notice: null });
  });

  it('keeps only the refresh token and profile', () => {
    const store = new SessionStore(sessionStorage, scriptedRefresh().refresh);
    const session = makeSession();

    store.signIn(session);

    expect(store.getState()).toEqual({ status: 'signed-in', session });
    expect(sessionStorage.getItem(refreshTokenKey)).toBe('refresh-token-1');
    expect(JSON.parse(sessionStorage.getItem(profileKey) ?? '')).toEqual({
      organisation: 'demo.test',
      user: session.user,
    });
    expect(sessionStorage.length).toBe(2);
  });

  it('clears storage on sign-out', () => {
    const store = new SessionStore(sessionStorage, scriptedRefresh().refresh);
    store.signIn(makeSession());

    store.signOut();

    expect(store.getState()).toEqual({ status: 'signed-out', notice: null });
    expect(sessionStorage.length).toBe(0);
  });

  it('notifies subscribers until they unsubscribe', () => {
    const store = new SessionStore(sessionStorage, scriptedRefresh().refresh);
    const listener = jest.fn();
    const unsubscribe = store.subscribe(listener);

    store.signIn(makeSession());
    unsubscribe();
    store.signOut();

    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('restores a stored session', async () => {
    storeSession();
    const { refresh, sent } = scriptedRefresh(renewed(2));
    const store = new SessionStore(sessionStorage, refresh);
    expect(store.getState()).toEqual({ status: 'restoring' });

    await store.restore();

    expect(sent).toEqual(['stored-refresh']);
    expect(store.currentSession()?.accessToken).toBe('access-2');
    expect(store.currentSession()?.user.email).toBe('ada@demo.test');
    expect(sessionStorage.getItem(refreshTokenKey)).toBe('refresh-2');
  });

  it('restores once when called twice', async () => {
    storeSession();
    const { refresh, sent } = scriptedRefresh(renewed(2));
    const store = new SessionStore(sessionStorage, refresh);

    await Promise.all([store.restore(), store.restore()]);

    expect(sent).toHaveLength(1);
    expect(store.getState().status).toBe('signed-in');
  });

  it('ends a rejected stored session', async () => {
    storeSession();
    const store = new SessionStore(sessionStorage, scriptedRefresh({ status: 'rejected' }).refresh);

    await store.restore();

    expect(store.getState()).toEqual({ status: 'signed-out', notice: 'session-ended' });
    expect(sessionStorage.length).toBe(0);
  });

  it('reports a restore the server failed', async () => {
    storeSession();
    const { refresh } = scriptedRefresh({ status: 'unavailable' });
    const store = new SessionStore(sessionStorage, refresh);

    await store.restore();

    expect(store.getState()).toEqual({ status: 'signed-out', notice: 'restore-failed' });
  });

  it('ignores a stored token without profile', () => {
    sessionStorage.setItem(refreshTokenKey, 'stored-refresh');

    const store = new SessionStore(sessionStorage, scriptedRefresh().refresh);

    expect(store.getState()).toEqual({ status: 'signed-out', notice: null });
  });

  it('renews shortly before the token ends', async () => {
    jest.useFakeTimers();
    const { refresh, sent } = scriptedRefresh(renewed(2), renewed(3));
    const store = new SessionStore(sessionStorage, refresh);
    store.signIn(makeSession());

    jest.advanceTimersByTime(839_999);
    expect(sent).toEqual([]);

    jest.advanceTimersByTime(1);
    await settle();
    expect(sent).toEqual(['refresh-token-1']);
    expect(store.currentSession()?.accessToken).toBe('access-2');

    jest.advanceTimersByTime(840_000);
    await settle();
    expect(sent).toEqual(['refresh-token-1', 'refresh-2']);
    expect(store.currentSession()?.accessToken).toBe('access-3');
  });

  it('ends the session when renewal is rejected', async () => {
    jest.useFakeTimers();
    const store = new SessionStore(sessionStorage, scriptedRefresh({ status: 'rejected' }).refresh);
    store.signIn(makeSession({}, 60));

    jest.advanceTimersByTime(30_000);
    await settle();

    expect(store.getState()).toEqual({ status: 'signed-out', notice: 'session-ended' });
    expect(sessionStorage.length).toBe(0);
  });

  it('retries an unavailable renewal', async () => {
    jest.useFakeTimers();
    const { refresh, sent } = scriptedRefresh({ status: 'unavailable' }, renewed(2));
    const store = new SessionStore(sessionStorage, refresh);
    store.signIn(makeSession());

    jest.advanceTimersByTime(840_000);
    await settle();
    expect(sent).toHaveLength(1);
    expect(store.getState().status).toBe('signed-in');

    jest.advanceTimersByTime(refreshRetryDelayMs);
    await settle();
    expect(sent).toEqual(['refresh-token-1', 'refresh-token-1']);
    expect(store.currentSession()?.accessToken).toBe('access-2');
  });

  it('ends when retries outlast the token', async () => {
    jest.useFakeTimers();
    const unavailable: RefreshOutcome = { status: 'unavailable' };
    const store = new SessionStore(
      sessionStorage,
      scriptedRefresh(...Array(10).fill(unavailable)).refresh,
    );
    store.signIn(makeSession({}, 60));

    for (let elapsed = 0; elapsed <= 60_000; elapsed += 5_000) {
      jest.advanceTimersByTime(5_000);
      await settle();
    }

    expect(store.getState()).toEqual({ status: 'signed-out', notice: 'session-ended' });
  });

  it('cancels renewal on sign-out', async () => {
    jest.useFakeTimers();
    const { refresh, sent } = scriptedRefresh(renewed(2));
    const store = new SessionStore(sessionStorage, refresh);
    store.signIn(makeSession({}, 60));
    store.signOut();

    jest.advanceTimersByTime(60_000);
    await settle();

    expect(sent).toEqual([]);
    expect(store.getState()).toEqual({ status: 'signed-out', notice: null });
  });

  it('drops a renewal that outlives sign-out', async () => {
    let finish: (outcome: RefreshOutcome) => void = () => {};
    const store = new SessionStore(
      sessionStorage,
      () => new Promise((resolve) => (finish = resolve)),
    );
    store.signIn(makeSession());
    const renewal = store.renewRejected('access-token-1');

    store.signOut();
    finish(renewed(2));

    expect(await renewal).toBe(false);
    expect(store.getState()).toEqual({ status: 'signed-out', notice: null });
    expect(sessionStorage.length).toBe(0);
  });

  it('renews a rejected token once', async () => {
    const { refresh, sent } = scriptedRefresh(renewed(2));
    const store = new SessionStore(sessionStorage, refresh);
    store.signIn(makeSession());

    const results = await Promise.all([
      store.renewRejected('access-token-1'),
      store.renewRejected('access-token-1'),
    ]);

    expect(results).toEqual([true, true]);
    expect(sent).toHaveLength(1);
    expect(await store.renewRejected('access-token-1')).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('ends when a rejected token cannot be renewed', async () => {
    const store = new SessionStore(
      sessionStorage,
      scriptedRefresh({ status: 'unavailable' }).refresh,
    );
    store.signIn(makeSession());

    expect(await store.renewRejected('access-token-1')).toBe(false);
    expect(store.getState()).toEqual({ status: 'signed-out', notice: 'session-ended' });
  });

  it('takes the roles of the renewed token', async () => {
    const claims = { 'https://hasura.io/jwt/claims': { 'x-hasura-allowed-roles': ['user'] } };
    const accessToken = `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
    const store = new SessionStore(
      sessionStorage,
      scriptedRefresh({
        status: 'renewed',
        tokens: { accessToken, refreshToken: 'refresh-2', expiresIn: 900 },
      }).refresh,
    );
    store.signIn(makeSession({ roles: ['user', 'tenant_admin'] }));

    await store.renewRejected('access-token-1');

    expect(store.currentSession()?.user.roles).toEqual(['user']);
  });
});
