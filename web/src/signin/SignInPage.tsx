import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import type { Session } from '../session/session';
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

export interface SignInPageProps {
  /** True when the previous session ended because its token expired or was rejected. */
  sessionExpired: boolean;
  onSignIn: (session: Session) => void;
}

/** The sign-in form: organisation, email and password, sent with the "login" mutation. */
export function SignInPage({ sessionExpired, onSignIn }: SignInPageProps) {
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
    const outcome = readLoginOutcome(
      await login({ tenantId: organisation, email, password }),
      organisation,
    );
    if (outcome.status === 'failed') {
      setFailure(outcome.message);
      return;
    }

    onSignIn(outcome.session);
  }

  return (
    <section className="sign-in" aria-labelledby={`${id}-heading`}>
      <h1 id={`${id}-heading`}>Sign in to ACCI</h1>
      {sessionExpired && failure === null && (
        <p className="notice" role="status">
          Your session has ended. Sign in again.
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

function fieldValue(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
