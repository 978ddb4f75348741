import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import type { Session } from '../session/session';
import { fieldValue } from './fieldValue';
import { readLoginOutcome, serverFailureMessage } from './readLoginOutcome';
import { readMfaError } from './readMfaError';

const VerifyMfaMutation = graphql(`
  mutation VerifyMfa($mfaToken: String!, $code: String!) {
    verifyMfa(mfaToken: $mfaToken, code: $code) {
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
`);

export interface MfaCodeFormProps {
  organisation: string;
  mfaToken: string;
  /** Confirmed factor types of the account, such as "totp" and "sms". */
  methods: readonly string[];
  onSignIn: (session: Session) => void;
  /** Returns to the password step, showing `message` there. */
  onRestart: (message: string | null) => void;
  onEnrolmentRequired: () => void;
}

/** Renders the second sign-in step, which sends a TOTP, SMS or recovery code to "verifyMfa". */
export function MfaCodeForm(props: MfaCodeFormProps) {
  const { organisation, mfaToken, methods, onSignIn, onRestart, onEnrolmentRequired } = props;
  const [{ fetching }, verifyMfa] = useMutation(VerifyMfaMutation);
  const [failure, setFailure] = useState<string | null>(null);
  const id = useId();

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const code = fieldValue(new FormData(form), 'code').replace(/\s+/g, '');

    setFailure(null);
    const result = await verifyMfa({ mfaToken, code });
    if (result.error !== undefined) {
      const mfaFailure = readMfaError(result.error);
      if (mfaFailure.kind === 'restart') onRestart(mfaFailure.message);
      else if (mfaFailure.kind === 'enrol') onEnrolmentRequired();
      else {
        setFailure(mfaFailure.message);
        form.reset();
      }
      return;
    }

    const outcome = readLoginOutcome({ data: result.data?.verifyMfa }, organisation);
    if (outcome.status === 'signed-in') onSignIn(outcome.session);
    else setFailure(outcome.status === 'failed' ? outcome.message : serverFailureMessage);
  }

  return (
    <section className="sign-in" aria-labelledby={`${id}-heading`}>
      <h1 id={`${id}-heading`}>Enter your verification code</h1>
      <form onSubmit={handleSubmit}>
        <fieldset disabled={fetching}>
          <label htmlFor={`${id}-code`}>Verification code</label>
          <input
            id={`${id}-code`}
            name="code"
            autoComplete="one-time-code"
            aria-describedby={`${id}-code-hint`}
            required
          />
          <p className="hint" id={`${id}-code-hint`}>
            {codeHint(methods)}
          </p>
          {failure !== null && (
            <p className="error" role="alert">
              {failure}
            </p>
          )}
          <button type="submit">{fetching ? 'Verifying…' : 'Verify'}</button>
          <button type="button" className="secondary" onClick={() => onRestart(null)}>
            Back to sign-in
          </button>
        </fieldset>
      </form>
    </section>
  );
}

/** Names the codes the account accepts. Recovery codes always count. */
export function codeHint(methods: readonly string[]): string {
  const totp = methods.includes('totp');
  const sms = methods.includes('sms');
  if (totp && sms) {
    return (
      'Enter the current code of your authenticator app, the code sent to your phone, ' +
      'or an unused recovery code.'
    );
  }
  if (totp) return 'Enter the current code of your authenticator app, or an unused recovery code.';
  if (sms) return 'Enter the code sent to your phone by SMS, or an unused recovery code.';

  return 'Enter an unused recovery code.';
}
