/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Provider } from 'urql';
import type { Session } from '../session/session';
import { clientFor } from '../testing/clients';
import { memoryExchange, type Responder, reply } from '../testing/memoryExchange';
import { MfaEnrolment } from './MfaEnrolment';

const qrCodeDataUrl = 'data:image/svg+xml;base64,PHN2Zy8+';

const enabled = reply({
  data: {
    enableMfa: {
      factorId: 'c0ffee00-0000-4000-8000-000000000001',
      secret: 'JBSWY3DPEHPK3PXP',
      qrCodeDataUrl,
    },
  },
});

const recoveryCodes = ['aaaa-bbbb', 'cccc-dddd'];

const confirmed = reply({
  data: {
    confirmMfa: {
      recoveryCodes,
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
          roles: ['user'],
        },
      },
    },
  },
});

function failure(code: string, message: string): Responder {
  return reply({ errors: [{ message, extensions: { code } }] });
}

function renderEnrolment(responders: Record<string, Responder>) {
  const { exchange, requests } = memoryExchange(responders);
  const signIns: Session[] = [];
  const restarts: Array<string | null> = [];
  render(
    <Provider value={clientFor(exchange)}>
      <MfaEnrolment
        organisation="demo.test"
        mfaToken="mfa-token-1"
        onSignIn={(session) => signIns.push(session)}
        onRestart={(message) => restarts.push(message)}
      />
    </Provider>,
  );

  return { requests, signIns, restarts };
}

async function startAndSubmit(code: string) {
  fireEvent.click(screen.getByRole('button', { name: 'Set up authenticator app' }));
  fireEvent.change(await screen.findByLabelText('Code from the app'), { target: { value: code } });
  fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
}

describe('MfaEnrolment', () => {
  it('explains that enrolment is required', () => {
    renderEnrolment({});

    expect(screen.getByRole('heading', { name: 'Set up a second factor' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe(
      'Your organisation requires a second factor for your account. Set up an authenticator ' +
        'app to finish signing in.',
    );
  });

  it('shows the QR code and setup key', async () => {
    const { requests } = renderEnrolment({ EnableMfa: enabled });

    fireEvent.click(screen.getByRole('button', { name: 'Set up authenticator app' }));

    const image = await screen.findByRole('img', { name: 'QR code for your authenticator app' });
    expect(image.getAttribute('src')).toBe(qrCodeDataUrl);
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP')).toBeTruthy();
    expect(requests[0]?.variables).toEqual({ mfaToken: 'mfa-token-1' });
    expect(requests[0]?.headers).toEqual({});
  });

  it('shows no image for a non-image URL', async () => {
    renderEnrolment({
      EnableMfa: reply({
        data: {
          enableMfa: { factorId: 'f', secret: null, qrCodeDataUrl: 'javascript:alert(1)' },
        },
      }),
    });

    fireEvent.click(screen.getByRole('button', { name: 'Set up authenticator app' }));

    await screen.findByLabelText('Code from the app');
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('shows the recovery codes, then signs in', async () => {
    const { requests, signIns } = renderEnrolment({ EnableMfa: enabled, ConfirmMfa: confirmed });

    await startAndSubmit('123 456');

    const list = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(recoveryCodes);
    expect(requests[1]?.variables).toEqual({ mfaToken: 'mfa-token-1', code: '123456' });
    expect(signIns).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'I have saved the codes, continue' }));

    expect(signIns).toHaveLength(1);
    expect(signIns[0]?.accessToken).toBe('access-token-1');
  });

  it('shows the server message for a wrong code', async () => {
    const { signIns } = renderEnrolment({
      EnableMfa: enabled,
      ConfirmMfa: failure('invalid-mfa-code', 'Invalid or expired code.'),
    });

    await startAndSubmit('000000');

    expect((await screen.findByRole('alert')).textContent).toBe('Invalid or expired code.');
    expect(screen.getByLabelText('Code from the app')).toBeTruthy();
    expect(signIns).toHaveLength(0);
  });

  it('restarts on an expired challenge', async () => {
    const { restarts } = renderEnrolment({
      EnableMfa: failure('invalid-mfa-token', 'Invalid, expired or already used MFA token.'),
    });

    fireEvent.click(screen.getByRole('button', { name: 'Set up authenticator app' }));

    await waitFor(() => expect(restarts).toHaveLength(1));
    expect(restarts[0]).toBe('The verification step has expired or was used up. Sign in again.');
  });

  it('shows why second factors are unavailable', async () => {
    renderEnrolment({
      EnableMfa: failure(
        'mfa-unavailable',
        'Second factors are not available because the server has no ACCI_ENCRYPTION_KEYS. ' +
          'Ask the operator to set it.',
      ),
    });

    fireEvent.click(screen.getByRole('button', { name: 'Set up authenticator app' }));

    expect((await screen.findByRole('alert')).textContent).toContain(
      'Second factors are not available',
    );
  });
});
