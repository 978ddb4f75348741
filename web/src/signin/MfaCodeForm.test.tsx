/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Provider } from 'urql';
import type { Session } from '../session/session';
import { clientFor } from '../testing/clients';
import { memoryExchange, noReply, type Responder, reply } from '../testing/memoryExchange';
import { codeHint, MfaCodeForm } from './MfaCodeForm';

const signedIn = {
  data: {
    verifyMfa: {
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
        roles: ['user'],
      },
    },
  },
};

const wrongCode = reply({
  errors: [
    {
      message:
        'Invalid or expired code. Enter the current code of your authenticator app, the ' +
        'latest SMS code or an unused recovery code.',
      extensions: { code: 'invalid-mfa-code' },
    },
  ],
});

function renderForm(verifyMfa: Responder, methods: string[] = ['totp']) {
  const { exchange, requests } = memoryExchange({ VerifyMfa: verifyMfa });
  const signIns: Session[] = [];
  const restarts: Array<string | null> = [];
  let enrolments = 0;
  render(
    <Provider value={clientFor(exchange)}>
      <MfaCodeForm
        organisation="demo.test"
        mfaToken="mfa-token-1"
        methods={methods}
        onSignIn={(session) => signIns.push(session)}
        onRestart={(message) => restarts.push(message)}
        onEnrolmentRequired={() => {
          enrolments += 1;
        }}
      />
    </Provider>,
  );

  return { requests, signIns, restarts, enrolments: () => enrolments };
}

function submitCode(code: string) {
  fireEvent.change(screen.getByLabelText('Verification code'), { target: { value: code } });
  fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
}

describe('MfaCodeForm', () => {
  it('signs in with a valid code', async () => {
    const { requests, signIns } = renderForm(reply(signedIn));

    submitCode(' 123 456 ');
    await waitFor(() => expect(signIns).toHaveLength(1));

    expect(requests[0]?.variables).toEqual({ mfaToken: 'mfa-token-1', code: '123456' });
    expect(requests[0]?.headers).toEqual({});
    expect(signIns[0]?.accessToken).toBe('access-token-1');
    expect(signIns[0]?.organisation).toBe('demo.test');
  });

  it('shows the server message for a wrong code', async () => {
    const { signIns, restarts } = renderForm(wrongCode);

    submitCode('000000');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'Invalid or expired code. Enter the current code of your authenticator app, the latest ' +
        'SMS code or an unused recovery code.',
    );
    expect((screen.getByLabelText('Verification code') as HTMLInputElement).value).toBe('');
    expect(signIns).toHaveLength(0);
    expect(restarts).toHaveLength(0);
  });

  it('accepts a second attempt', async () => {
    let attempts = 0;
    const { signIns } = renderForm((request) => {
      attempts += 1;
      return attempts === 1 ? wrongCode(request) : signedIn;
    });
    submitCode('000000');
    await screen.findByRole('alert');

    submitCode('123456');

    await waitFor(() => expect(signIns).toHaveLength(1));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('restarts on an expired challenge', async () => {
    const { restarts } = renderForm(
      reply({
        errors: [
          {
            message: 'Invalid, expired or already used MFA token. Sign in again.',
            extensions: { code: 'invalid-mfa-token' },
          },
        ],
      }),
    );

    submitCode('123456');

    await waitFor(() => expect(restarts).toHaveLength(1));
    expect(restarts[0]).toBe('The verification step has expired or was used up. Sign in again.');
  });

  it('switches to enrolment when required', async () => {
    const { enrolments } = renderForm(
      reply({
        errors: [
          {
            message: 'The tenant requires a second factor.',
            extensions: { code: 'mfa-enrolment-required' },
          },
        ],
      }),
    );

    submitCode('123456');

    await waitFor(() => expect(enrolments()).toBe(1));
  });

  it('reports an unreachable server', async () => {
    renderForm(() => Promise.reject(new TypeError('Failed to fetch')));

    submitCode('123456');

    expect((await screen.findByRole('alert')).textContent).toBe(
      'The server could not be reached. Check your connection and try again.',
    );
  });

  it('disables the form while sending', async () => {
    renderForm(noReply);

    submitCode('123456');

    const button = await screen.findByRole('button', { name: 'Verifying…' });
    expect(button.closest('fieldset')?.disabled).toBe(true);
  });

  it('goes back on request', () => {
    const { restarts } = renderForm(noReply);

    fireEvent.click(screen.getByRole('button', { name: 'Back to sign-in' }));

    expect(restarts).toEqual([null]);
  });

  it('names the accepted codes', () => {
    renderForm(noReply, ['sms']);

    expect(screen.getByText(codeHint(['sms']))).toBeTruthy();
    expect(codeHint(['sms'])).toBe(
      'Enter the code sent to your phone by SMS, or an unused recovery code.',
    );
    expect(codeHint([])).toBe('Enter an unused recovery code.');
    expect(codeHint(['totp', 'sms'])).toContain('authenticator app, the code sent to your phone');
  });
});
