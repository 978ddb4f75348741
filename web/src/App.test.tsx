/** @jest-environment jsdom */
import { fireEvent, render, screen, within } from '@testing-library/react';
import { App } from './App';
import { refreshTokenKey, SessionStore } from './session/SessionStore';
import {
  memoryExchange,
  type RecordedRequest,
  type Responder,
  reply,
} from './testing/memoryExchange';

const accounts: Record<string, { token: string; tenantId: string; roles: string[] }> = {
  'ada@demo.test': { token: 'token-ada', tenantId: 'tenant-demo', roles: ['user', 'tenant_admin'] },
  'max@other.test': { token: 'token-max', tenantId: 'tenant-other', roles: ['user'] },
};

const usersByToken: Record<string, string[]> = {
  'Bearer token-ada': ['ada@demo.test', 'grace@demo.test'],
  'Bearer token-max': ['max@other.test'],
};

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

function renderApp(responders: Record<string, Responder> = { Login: login, Users: users }) {
  const { exchange, requests } = memoryExchange(responders);
  const store = new SessionStore(sessionStorage);
  render(
    <App
      config={{ graphqlUrl: 'http://127.0.0.1:8080/v1/graphql' }}
      store={store}
      transport={exchange}
    />,
  );

  return { requests, store };
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

function usersRequests(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((request) => request.operationName === 'Users');
}

afterEach(() => sessionStorage.clear());

describe('App', () => {
  it('starts at the sign-in page', () => {
    renderApp();

    expect(screen.getByRole('heading', { name: 'Sign in to ACCI' })).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('lists the users after sign-in', async () => {
    const { requests } = renderApp();

    await signIn('demo.test', 'ada@demo.test');

    expect(await listedEmails()).toEqual(['ada@demo.test', 'grace@demo.test']);
    expect(usersRequests(requests)[0]?.headers['X-Hasura-Role']).toBe('tenant_admin');
    expect(sessionStorage.getItem(refreshTokenKey)).toBe('refresh-token-ada');
  });

  it('returns to sign-in on sign-out', async () => {
    renderApp();
    await signIn('demo.test', 'ada@demo.test');

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(screen.getByRole('heading', { name: 'Sign in to ACCI' })).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
    expect(sessionStorage.getItem(refreshTokenKey)).toBeNull();
  });

  it('shows the next user only their tenant', async () => {
    const { requests } = renderApp();
    await signIn('demo.test', 'ada@demo.test');
    await listedEmails();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    await signIn('other.test', 'max@other.test');

    expect(await listedEmails()).toEqual(['max@other.test']);
    expect(usersRequests(requests).map((request) => request.headers)).toEqual([
      { Authorization: 'Bearer token-ada', 'X-Hasura-Role': 'tenant_admin' },
      { Authorization: 'Bearer token-max', 'X-Hasura-Role': 'user' },
    ]);
  });

  it('drops the session on invalid-jwt', async () => {
    renderApp({ Login: login, Users: invalidJwt });

    submitSignIn('demo.test', 'ada@demo.test');

    const notice = await screen.findByText('Your session has ended. Sign in again.');
    expect(notice.getAttribute('role')).toBe('status');
    expect(screen.getByRole('heading', { name: 'Sign in to ACCI' })).toBeTruthy();
    expect(sessionStorage.getItem(refreshTokenKey)).toBeNull();
  });

  it('keeps the sign-in page after a wrong password', async () => {
    renderApp();

    submitSignIn('demo.test', 'ada@demo.test', 'wrong');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The email, password or organisation is not correct.');
    expect(sessionStorage.getItem(refreshTokenKey)).toBeNull();
  });
});
