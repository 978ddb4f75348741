/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Provider } from 'urql';
import type { SignedOutNotice } from '../session/SessionStore';
import type { Session } from '../session/session';
import { clientFor } from '../testing/clients';
import {
  HttpFailure,
  memoryExchange,
  noReply,
  type Responder,
  reply,
} from '../testing/memoryExchange';
import { SignInPage } from './SignInPage';

const loginResponse = {
  data: {
    login: {
      accessToken: 'access-token-1',
      refreshToken: 'refresh-token-1',
      expiresIn: 900,
      tokenType: 'Bearer',
      mfaRequired: false,
      mfaToken: null,
      mfaEnrolmentRequired: null,
      mfaMethods: null,
      user: {
        id: 'b3c1e0d2-0000-4000-8000-000000000001',
        tenantId: 'a1f0c9e8-0000-4000-8000-000000000001',
        email: 'ada@demo.test',
        firstName: 'Ada',
        lastName: 'Lovelace',
        roles: ['user', 'tenant_admin'],
      },
    },
  },
};

function renderSignIn(
  login: Responder,
  notice: SignedOutNotice | null = null,
  others: Record<string, Responder> = {},
) {
  const { exchange, requests } = memoryExchange({ Login: login, ...others });
  const signIns: Session[] = [];
  render(
    <Provider value={clientFor(exchange)}>
      <SignInPage notice={notice} onSignIn={(session) => signIns.push(session)} />
    </Provider>,
  );

  return { requests, signIns };
}

function fillAndSubmit(organisation = 'demo.test') {
  fireEvent.change(screen.getByLabelText('Organisation'), { target: { value: organisation } });
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: ' ada@demo.test ' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

const invalidCredentials = reply({
  errors: [{ message: 'Invalid credentials.', extensions: { code: 'invalid-credentials' } }],
});

describe('SignInPage', () => {
  it('labels every field', () => {
    renderSignIn(reply(loginResponse));

    expect(screen.getByRole('heading', { name: 'Sign in to ACCI' })).toBeTruthy();
    expect(screen.getByLabelText('Organisation').getAttribute('name')).toBe('organisation');
    expect(screen.getByLabelText('Email').getAttribute('type')).toBe('email');
    expect(screen.getByLabelText('Password').getAttribute('type')).toBe('password');
  });

  it('signs in with the entered values', async () => {
    const { requests, signIns } = renderSignIn(reply(loginResponse));

    fillAndSubmit(' demo.test ');
    await waitFor(() => expect(signIns).toHaveLength(1));

    expect(requests[0]?.variables).toEqual({
      tenantId: 'demo.test',
      email: 'ada@demo.test',
      password: 'correct horse',
    });
    expect(requests[0]?.headers).toEqual({});
    expect(signIns[0]?.organisation).toBe('demo.test');
    expect(signIns[0]?.accessToken).toBe('access-token-1');
    expect(signIns[0]?.user.roles).toEqual(['user', 'tenant_admin']);
  });

  it('disables the form while sending', async () => {
    let finish: () => void = () => {};
    const pending = new Promise<typeof loginResponse>((resolve) => {
      finish = () => resolve(loginResponse);
    });
    renderSignIn(() => pending);

    fillAndSubmit();

    const button = await screen.findByRole('button', { name: 'Signing in…' });
    expect(button.closest('fieldset')?.disabled).toBe(true);

    finish();
    await screen.findByRole('button', { name: 'Sign in' });
    expect(button.closest('fieldset')?.disabled).toBe(false);
  });

  it('shows one message for invalid credentials', async () => {
    const { signIns } = renderSignIn(invalidCredentials);

    fillAndSubmit();

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The email, password or organisation is not correct.');
    expect(signIns).toHaveLength(0);
  });

  it('reports an unreachable server', async () => {
    renderSignIn(() => Promise.reject(new TypeError('Failed to fetch')));

    fillAndSubmit();

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'The server could not be reached. Check your connection and try again.',
    );
  });

  it('reports an HTTP failure', async () => {
    renderSignIn(() => Promise.reject(new HttpFailure(502, 'Bad Gateway')));

    fillAndSubmit();

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Sign-in failed because of a server error. Try again later.');
  });

  it('clears the message on a new attempt', async () => {
    let attempts = 0;
    renderSignIn((request) => {
      attempts += 1;
      return attempts === 1 ? invalidCredentials(request) : noReply(request);
    });
    fillAndSubmit();
    await screen.findByRole('alert');

    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByRole('button', { name: 'Signing in…' });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('explains an ended session', () => {
    renderSignIn(reply(loginResponse), 'session-ended');

    expect(screen.getByRole('status').textContent).toBe('Your session has ended. Sign in again.');
  });

  it('explains a failed restore', () => {
    renderSignIn(reply(loginResponse), 'restore-failed');

    expect(screen.getByRole('status').textContent).toBe(
      'Your session could not be restored. Check your connection and sign in again.',
    );
  });

  it('asks for the code after the password', async () => {
    const { requests, signIns } = renderSignIn(reply(mfaChallenge(false)), null, {
      VerifyMfa: reply({ data: { verifyMfa: loginResponse.data.login } }),
    });

    fillAndSubmit();
    await screen.findByRole('heading', { name: 'Enter your verification code' });
    fireEvent.change(screen.getByLabelText('Verification code'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(signIns).toHaveLength(1));

    expect(requests[1]?.variables).toEqual({ mfaToken: 'mfa-token-1', code: '123456' });
    expect(signIns[0]?.organisation).toBe('demo.test');
  });

  it('returns to the password on expiry', async () => {
    renderSignIn(reply(mfaChallenge(false)), null, {
      VerifyMfa: reply({
        errors: [
          {
            message: 'Invalid, expired or already used MFA token. Sign in again.',
            extensions: { code: 'invalid-mfa-token' },
          },
        ],
      }),
    });

    fillAndSubmit();
    fireEvent.change(await screen.findByLabelText('Verification code'), {
      target: { value: '123456' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));

    await screen.findByRole('heading', { name: 'Sign in to ACCI' });
    expect(screen.getByRole('status').textContent).toBe(
      'The verification step has expired or was used up. Sign in again.',
    );
  });

  it('requires enrolment when the tenant does', async () => {
    renderSignIn(reply(mfaChallenge(true)));

    fillAndSubmit();

    await screen.findByRole('heading', { name: 'Set up a second factor' });
    expect(screen.getByRole('status').textContent).toContain(
      'Your organisation requires a second factor for your account.',
    );
  });
});

function mfaChallenge(enrolmentRequired: boolean) {
  return {
    data: {
      login: {
        accessToken: null,
        refreshToken: null,
        expiresIn: null,
        tokenType: null,
        mfaRequired: true,
        mfaToken: 'mfa-token-1',
        mfaEnrolmentRequired: enrolmentRequired,
        mfaMethods: enrolmentRequired ? [] : ['totp'],
        user: null,
      },
    },
  };
}
