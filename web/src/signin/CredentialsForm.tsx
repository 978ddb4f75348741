import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import type { Session } from '../session/session';
import { fieldValue } from './fieldValue';
import { readLoginOutcome } from './readLoginOutcome';

const LoginMutation = graphql(`
  mutation Login($tenantId: String!, $email: String!, $password: String!) {
    login(tenantId: $tenantId, email: $email, password: $password) {
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

/** A sign-in that passed the password and waits for the second factor. */
export interface MfaChallenge {
  organisation: string;
  mfaToken: string;
}

export interface CredentialsFormProps {
  /** A message about the previous session or sign-in attempt, or null. */
  notice: string | null;
  onSignIn: (session: Session) => void;
  onMfaRequired: (challenge: MfaChallenge & { methods: string[] }) => void;
  onEnrolmentRequired: (challenge: MfaChallenge) => void;
}

/** Renders the sign-in form and sends organisation, email and password with "login". */
export function CredentialsForm(props: CredentialsFormProps) {
  const { notice, onSignIn, onMfaRequired, onEnrolmentRequired } = props;
  const [{ fetching }, login] = useMutation(LoginMutation);
  const [failure, setFailure] = useState<string | null>(null);
  const id = useId();

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const organisation = fieldValue(form, 'organisation').trim();
    const email = fieldValue(form, 'email').trim();
    const password = fieldValue(form, 'password');

    setFailure(null);
    const result = await login({ tenantId: organisation, email, password });
    const outcome = readLoginOutcome(
      { data: result.data?.login, error: result.error },
      organisation,
    );
    switch (outcome.status) {
      case 'failed':
        setFailure(outcome.message);
        return;
      case 'mfa-required':
        onMfaRequired({ organisation, mfaToken: outcome.mfaToken, methods: outcome.methods });
        return;
      case 'mfa-enrolment-required':
        onEnrolmentRequired({ organisation, mfaToken: outcome.mfaToken });
        return;
      case 'signed-in':
        onSignIn(outcome.session);
        return;
    }
  }

  return (
    <section className="sign-in" aria-labelledby={`${id}-heading`}>
      <h1 id={`${id}-heading`}>Sign in to ACCI</h1>
      {notice !== null && failure === null && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={handleSubmit}>
        <fieldset disabled={fetching}>
          <label htmlFor={`${id}-organisation`}>Organisation</label>
          <input
            id={`${id}-organisation`}
            name="organisation"
            autoComplete="organization"
            aria-describedby={`${id}-organisation-hint`}
            required
          />
          <p className="hint" id={`${id}-organisation-hint`}>
            Your organisation's domain, such as demo.test, or its tenant id.
          </p>
          <label htmlFor={`${id}-email`}>Email</label>
          <input id={`${id}-email`} name="email" type="email" autoComplete="username" required />
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
          {failure !== null && (
            <p className="error" role="alert">
              {failure}
            </p>
          )}
          <button type="submit">{fetching ? 'Signing in…' : 'Sign in'}</button>
        </fieldset>
      </form>
    </section>
  );
}
