/** @jest-environment jsdom */
import { jest } from '@jest/globals';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { App } from './App';
import { refreshTokenKey } from './session/SessionStore';
import { profileKey, writeStoredProfile } from './session/storedProfile';
import {
  memoryExchange,
  type RecordedRequest,
  type Responder,
  reply,
} from './testing/memoryExchange';
import { makeSession } from './testing/sessions';

const accounts: Record<string, { token: string; tenantId: string; roles: string[] }> = {
  'ada@demo.test': { token: 'token-ada', tenantId: 'tenant-demo', roles: ['user', 'tenant_admin'] },
  'max@other.test': { token: 'token-max', tenantId: 'tenant-other', roles: ['user'] },
};

/** The server's users by access token; a token missing here is rejected as invalid-jwt. */
let usersByToken: Record<string, string[]>;

beforeEach(() => {
  usersByToken = {
    'Bearer token-ada': ['ada@demo.test', 'grace@demo.test'],
    'Bearer token-max': ['max@other.test'],
    'Bearer token-ada-2': ['ada@demo.test', 'grace@demo.test'],
  };
});

afterEach(() => {
  sessionStorage.clear();
  jest.useRealTimers();
});

const login: Responder = ({ variables }) => {
  const email = String(variables.email);
  const account = accounts[email];
  if (account === undefined || variables.password !== 'secret') {
    return {
      errors: [{ message: 'Invalid credentials.', extensions: { code: 'invalid-credentials' } }],
    };
  }

  return {
    data: {
      login: {
        accessToken: account.token,
        refreshToken: `refresh-${account.token}`,
        expiresIn: 900,
        tokenType: 'Bearer',
        mfaRequired: false,
        mfaToken: null,
        mfaEnrolmentRequired: null,
        mfaMethods: null,
        user: {
          id: email,
          tenantId: account.tenantId,
          email,
          firstName: '',
          lastName: '',
          roles: account.roles,
        },
      },
    },
  };
};

const invalidJwt = reply({
  errors: [{ message: 'Could not verify JWT: JWTExpired', extensions: { code: 'invalid-jwt' } }],
});

const users: Responder = (request) => {
  const emails = usersByToken[request.headers.Authorization ?? ''];
  if (emails === undefined) return invalidJwt(request);

  return {
    data: {
      users: emails.map((email) => ({
        id: email,
        tenant_id: 'tenant',
        email,
        first_name: '',
        last_name: '',
        status: 'active',
        last_login_at: null,
      })),
    },
  };
};

/** Renews any refresh token to token-ada-2. */
const refreshToken: Responder = () => ({
  data: {
    refreshToken: {
      accessToken: 'token-ada-2',
      refreshToken: 'refresh-token-ada-2',
      expiresIn: 900,
      tokenType: 'Bearer',
    },
  },
});

const refreshRejected = reply({
  errors: [
    {
      message: 'Invalid, expired or revoked refresh token. Sign in again.',
      extensions: { code: 'invalid-refresh-token' },
    },
  ],
});

/** Revokes the token it is sent with, as the server's "logout" does. */
const logout: Responder = (request) => {
  delete usersByToken[request.headers.Authorization ?? ''];
  return { data: { logout: { revokedSessions: 1 } } };
};

const defaultResponders = {
  Login: login,
  Users: users,
  RefreshToken: refreshToken,
  Logout: logout,
};

function renderApp(responders: Record<string, Responder> = {}) {
  const { exchange, requests } = memoryExchange({ ...defaultResponders, ...responders });
  render(
    <App
      config={{ graphqlUrl: 'http://127.0.0.1:8080/v1/graphql' }}
      storage={sessionStorage}
      transport={exchange}
    />,
  );

  return { requests };
}

/** Leaves a session in sessionStorage as a page of the same tab would before a reload. */
function storeSessionOfAda() {
  const { user } = makeSession({ id: 'ada@demo.test', roles: ['user', 'tenant_admin'] });
  sessionStorage.setItem(refreshTokenKey, 'refresh-token-ada');
  writeStoredProfile(sessionStorage, { organisation: 'demo.test', user });
}

function submitSignIn(organisation: string, email: string, password = 'secret') {
  fireEvent.change(screen.getByLabelText('Organisation'), { target: { value: organisation } });
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

async function signIn(organisation: string, email: string) {
  submitSignIn(organisation, email);
  await screen.findByRole('heading', { name: `Users of ${organisation}` });
}

async function listedEmails(): Promise<string[]> {
  const table = await screen.findByRole('table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[0]?.textContent ?? '');
}

function requestsNamed(requests: RecordedRequest[], name: string): RecordedRequest[] {
  return requests.filter((request) => request.operationName === name);
}

/** Runs pending promise callbacks and the React updates they cause, under fake timers. */
async function flush() {
  await act(async () => {
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
  });
}

describe('App', () => {
  it('starts at the sign-in page', () => {
    const { requests } = renderApp();

    expect(screen.getByRole('heading', { name: 'Sign in to ACCI' })).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
    expect(requests).toHaveLength(0);
  });

  it('lists the users after sign-in', async () => {
    const { requests } = renderApp();

    await signIn('demo.test', 'ada@demo.test');

    expect(await listedEmails()).toEqual(['ada@demo.test', 'grace@demo.test']);
    expect(requestsNamed(requests, 'Users')[0]?.headers['X-Hasura-Role']).toBe('tenant_admin');
    expect(sessionStorage.getItem(refreshTokenKey)).toBe('refresh-token-ada');
    expect(screen.getByText('Signed in as ada@demo.test')).toBeTruthy();
  });

  it('keeps the access token out of storage', async () => {
    renderApp();

    await signIn('demo.test', 'ada@demo.test');

    expect(Object.keys(sessionStorage).sort()).toEqual([profileKey, refreshTokenKey].sort());
    expect(sessionStorage.getItem(refreshTokenKey)).toBe('refresh-token-ada');
    expect(sessionStorage.getItem(profileKey)).not.toContain('"token-ada"');
  });

  it('restores the session after a reload', async () => {
    storeSessionOfAda();
    const { requests } = renderApp();

    expect(screen.getByRole('status').textContent).toBe('Restoring your session…');
    expect(await listedEmails()).toEqual(['ada@demo.test', 'grace@demo.test']);

    const refreshes = requestsNamed(requests, 'RefreshToken');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]?.variables).toEqual({ refreshToken: 'refresh-token-ada' });
    expect(refreshes[0]?.headers).toEqual({});
    expect(requestsNamed(requests, 'Users')[0]?.headers.Authorization).toBe('Bearer token-ada-2');
    expect(sessionStorage.getItem(refreshTokenKey)).toBe('refresh-token-ada-2');
  });

  it('ends a session the server rejects on reload', async () => {
    storeSessionOfAda();
    renderApp({ RefreshToken: refreshRejected });

    const notice = await screen.findByText('Your session has ended. Sign in again.');

    expect(notice.getAttribute('role')).toBe('status');
    expect(screen.getByRole('heading', { name: 'Sign in to ACCI' })).toBeTruthy();
    expect(sessionStorage.length).toBe(0);
  });

  it('revokes the session on sign-out', async () => {
    const { requests } = renderApp();
    await signIn('demo.test', 'ada@demo.test');
    await listedEmails();

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    await screen.findByRole('heading', { name: 'Sign in to ACCI' });
    const logouts = requestsNamed(requests, 'Logout');
    expect(logouts).toHaveLength(1);
    expect(logouts[0]?.headers.Authorization).toBe('Bearer token-ada');
    expect(usersByToken['Bearer token-ada']).toBeUndefined();
    expect(screen.queryByRole('status')).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });

  it('signs out locally when logout fails', async () => {
    const unreachable: Responder = () => Promise.reject(new TypeError('Failed to fetch'));
    renderApp({ Logout: unreachable });
    await signIn('demo.test', 'ada@demo.test');

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    await screen.findByRole('heading', { name: 'Sign in to ACCI' });
    expect(sessionStorage.length).toBe(0);
  });

  it('shows the next user only their tenant', async () => {
    const { requests } = renderApp();
    await signIn('demo.test', 'ada@demo.test');
    await listedEmails();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('heading', { name: 'Sign in to ACCI' });

    await signIn('other.test', 'max@other.test');

    expect(await listedEmails()).toEqual(['max@other.test']);
    expect(requestsNamed(requests, 'Users').map((request) => request.headers)).toEqual([
      { Authorization: 'Bearer token-ada', 'X-Hasura-Role': 'tenant_admin' },
      { Authorization: 'Bearer token-max', 'X-Hasura-Role': 'user' },
    ]);
  });

  it('renews the token once on invalid-jwt', async () => {
    delete usersByToken['Bearer token-ada'];
    const { requests } = renderApp();

    await signIn('demo.test', 'ada@demo.test');

    expect(await listedEmails()).toEqual(['ada@demo.test', 'grace@demo.test']);
    expect(requestsNamed(requests, 'Users').map((r) => r.headers.Authorization)).toEqual([
      'Bearer token-ada',
      'Bearer token-ada-2',
    ]);
    expect(requestsNamed(requests, 'RefreshToken')[0]?.variables).toEqual({
      refreshToken: 'refresh-token-ada',
    });
  });

  it('ends the session when renewal fails', async () => {
    renderApp({ Users: invalidJwt, RefreshToken: refreshRejected });

    submitSignIn('demo.test', 'ada@demo.test');

    const notice = await screen.findByText('Your session has ended. Sign in again.');
    expect(notice.getAttribute('role')).toBe('status');
    expect(screen.getByRole('heading', { name: 'Sign in to ACCI' })).toBeTruthy();
    expect(sessionStorage.length).toBe(0);
  });

  it('renews the token before it expires', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    storeSessionOfAda();
    const renewInTurn: Responder = ({ variables }) => {
      const next = variables.refreshToken === 'refresh-token-ada' ? 2 : 3;
      usersByToken[`Bearer token-ada-${next}`] = ['ada@demo.test'];
      return {
        data: {
          refreshToken: {
            accessToken: `token-ada-${next}`,
            refreshToken: `refresh-token-ada-${next}`,
            expiresIn: 900,
            tokenType: 'Bearer',
          },
        },
      };
    };
    const { requests } = renderApp({ RefreshToken: renewInTurn });
    await flush();
    expect(screen.getByRole('heading', { name: 'Users of demo.test' })).toBeTruthy();

    await act(async () => jest.advanceTimersByTime(839_000));
    await flush();
    expect(requestsNamed(requests, 'RefreshToken')).toHaveLength(1);

    await act(async () => jest.advanceTimersByTime(1_000));
    await flush();
    expect(requestsNamed(requests, 'RefreshToken').map((r) => r.variables.refreshToken)).toEqual([
      'refresh-token-ada',
      'refresh-token-ada-2',
    ]);
    expect(sessionStorage.getItem(refreshTokenKey)).toBe('refresh-token-ada-3');
    expect(screen.getByRole('heading', { name: 'Users of demo.test' })).toBeTruthy();
  });

  it('keeps the sign-in page after a wrong password', async () => {
    renderApp();

    submitSignIn('demo.test', 'ada@demo.test', 'wrong');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The email, password or organisation is not correct.');
    expect(sessionStorage.getItem(refreshTokenKey)).toBeNull();
  });

  it('opens the sessions page', async () => {
    renderApp({
      MySessions: reply({
        data: {
          mySessions: [
            {
              id: 'session-1',
              userAgent: 'Firefox',
              ip: '127.0.0.1',
              createdAt: '2025-03-14T09:26:53+00:00',
              lastUsedAt: '2025-03-14T09:26:53+00:00',
              current: true,
            },
          ],
        },
      }),
    });
    await signIn('demo.test', 'ada@demo.test');

    fireEvent.click(screen.getByRole('button', { name: 'My sessions' }));

    expect(await screen.findByRole('heading', { name: 'My sessions' })).toBeTruthy();
    expect(await screen.findByText('This session')).toBeTruthy();
  });
});
