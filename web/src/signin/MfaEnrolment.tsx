import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import type { Session } from '../session/session';
import { fieldValue } from './fieldValue';
import { RecoveryCodes } from './RecoveryCodes';
import { readLoginOutcome, serverFailureMessage } from './readLoginOutcome';
import { type MfaFailure, readMfaError } from './readMfaError';

const EnableMfaMutation = graphql(`
  mutation EnableMfa($mfaToken: String!) {
    enableMfa(type: "totp", mfaToken: $mfaToken) {
      factorId
      secret
      qrCodeDataUrl
    }
  }
`);

const ConfirmMfaMutation = graphql(`
  mutation ConfirmMfa($mfaToken: String!, $code: String!) {
    confirmMfa(mfaToken: $mfaToken, code: $code) {
      recoveryCodes
      login {
        accessToken
        refreshToken
        expiresIn
        tokenType
        mfaRequired
        mfaToken
        mfaEnrolmentRequired
        mfaMethods
        user {
          id
          tenantId
          email
          firstName
          lastName
          roles
        }
      }
    }
  }
`);

export interface MfaEnrolmentProps {
  organisation: string;
  /** The enrolment mfaToken of the sign-in that the tenant's policy held back. */
  mfaToken: string;
  onSignIn: (session: Session) => void;
  /** Returns to the password step, showing `message` there. */
  onRestart: (message: string | null) => void;
}

type Phase =
  | { kind: 'intro' }
  | { kind: 'scan'; qrCodeDataUrl: string | null; secret: string | null }
  | { kind: 'recovery'; recoveryCodes: string[]; session: Session };

/**
 * Enrols an authenticator app during sign-in, for a tenant that requires a second factor.
 * "enableMfa" returns a QR code, and "confirmMfa" checks a code from the app. It returns the
 * recovery codes and the tokens of the sign-in, which starts once the user has seen the codes.
 */
export function MfaEnrolment({ organisation, mfaToken, onSignIn, onRestart }: MfaEnrolmentProps) {
  const [enableState, enableMfa] = useMutation(EnableMfaMutation);
  const [confirmState, confirmMfa] = useMutation(ConfirmMfaMutation);
  const [phase, setPhase] = useState<Phase>({ kind: 'intro' });
  const [failure, setFailure] = useState<string | null>(null);
  const id = useId();

  function handleFailure(mfaFailure: MfaFailure) {
    if (mfaFailure.kind === 'restart') onRestart(mfaFailure.message);
    else setFailure(mfaFailure.kind === 'retry' ? mfaFailure.message : serverFailureMessage);
  }

  async function handleStart() {
    setFailure(null);
    const result = await enableMfa({ mfaToken });
    if (result.error !== undefined) return handleFailure(readMfaError(result.error));

    const factor = result.data?.enableMfa;
    if (factor === undefined) return setFailure(serverFailureMessage);

    setPhase({ kind: 'scan', qrCodeDataUrl: factor.qrCodeDataUrl, secret: factor.secret });
  }

  async function handleConfirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const code = fieldValue(new FormData(form), 'code').replace(/\s+/g, '');

    setFailure(null);
    const result = await confirmMfa({ mfaToken, code });
    if (result.error !== undefined) {
      form.reset();
      return handleFailure(readMfaError(result.error));
    }

    const confirmed = result.data?.confirmMfa;
    const outcome = readLoginOutcome({ data: confirmed?.login ?? undefined }, organisation);
    if (confirmed === undefined || outcome.status !== 'signed-in') {
      return setFailure(serverFailureMessage);
    }

    setPhase({
      kind: 'recovery',
      recoveryCodes: confirmed.recoveryCodes,
      session: outcome.session,
    });
  }

  if (phase.kind === 'recovery') {
    return <RecoveryCodes codes={phase.recoveryCodes} onDone={() => onSignIn(phase.session)} />;
  }

  const alert = failure !== null && (
    <p className="error" role="alert">
      {failure}
    </p>
  );

  return (
    <section className="sign-in" aria-labelledby={`${id}-heading`}>
      <h1 id={`${id}-heading`}>Set up a second factor</h1>
      <p className="notice" role="status">
        Your organisation requires a second factor for your account. Set up an authenticator app to
        finish signing in.
      </p>
      {phase.kind === 'intro' ? (
        <fieldset disabled={enableState.fetching}>
          {alert}
          <button type="button" onClick={handleStart}>
            {enableState.fetching ? 'Starting…' : 'Set up authenticator app'}
          </button>
          <button type="button" className="secondary" onClick={() => onRestart(null)}>
            Back to sign-in
          </button>
        </fieldset>
      ) : (
        <form onSubmit={handleConfirm}>
          <fieldset disabled={confirmState.fetching}>
            <AuthenticatorSetup qrCodeDataUrl={phase.qrCodeDataUrl} secret={phase.secret} />
            <label htmlFor={`${id}-code`}>Code from the app</label>
            <input id={`${id}-code`} name="code" autoComplete="one-time-code" required />
            {alert}
            <button type="submit">{confirmState.fetching ? 'Confirming…' : 'Confirm'}</button>
            <button type="button" className="secondary" onClick={() => onRestart(null)}>
              Back to sign-in
            </button>
          </fieldset>
        </form>
      )}
    </section>
  );
}

function AuthenticatorSetup(props: { qrCodeDataUrl: string | null; secret: string | null }) {
  // Only an image data URL goes into src, whatever the server returned.
  const qrCode = props.qrCodeDataUrl?.startsWith('data:image/') ? props.qrCodeDataUrl : null;

  return (
    <>
      <p className="hint">Scan the QR code with your authenticator app, then enter its code.</p>
      {qrCode !== null && (
        <img className="qr-code" src={qrCode} alt="QR code for your authenticator app" />
      )}
      {props.secret !== null && (
        <details>
          <summary>Cannot scan the code?</summary>
          <p className="hint">Enter this setup key in the app instead:</p>
          <code className="setup-key">{props.secret.replace(/(.{4})(?=.)/g, '$1 ')}</code>
        </details>
      )}
    </>
  );
}
