import type { OperationResult } from 'urql';
import { hasErrorCode } from '../api/hasErrorCode';
import type { LoginMutation } from '../gql/graphql';
import type { Session } from '../session/session';

/** Shown for any rejected sign-in, so it never reveals which of the three fields was wrong. */
export const invalidCredentialsMessage = 'The email, password or organisation is not correct.';
export const unreachableMessage =
  'The server could not be reached. Check your connection and try again.';
export const serverFailureMessage = 'Sign-in failed because of a server error. Try again later.';
export const mfaUnsupportedMessage =
  'This account requires a second sign-in factor, which the console does not support yet.';

export type LoginOutcome =
  | { status: 'signed-in'; session: Session }
  | { status: 'failed'; message: string };

/**
 * Turns the result of the "login" mutation into a session, or into the message to show.
 * `organisation` is the tenant id or domain the user entered.
 */
export function readLoginOutcome(
  result: Pick<OperationResult<LoginMutation>, 'data' | 'error'>,
  organisation: string,
): LoginOutcome {
  if (result.error !== undefined) {
    if (hasErrorCode(result.error, 'invalid-credentials')) return failed(invalidCredentialsMessage);
    // A network error without a response means the request never received an HTTP response.
    if (result.error.networkError !== undefined && result.error.response === undefined) {
      return failed(unreachableMessage);
    }

    return failed(serverFailureMessage);
  }

  const login = result.data?.login;
  if (login === undefined) return failed(serverFailureMessage);

  // TODO: ask for the second factor and complete the sign-in with login.mfaToken.
  if (login.mfaRequired) return failed(mfaUnsupportedMessage);

  const { accessToken, refreshToken, expiresIn, user } = login;
  if (accessToken === null || refreshToken === null || expiresIn === null || user === null) {
    return failed(serverFailureMessage);
  }

  return {
    status: 'signed-in',
    session: { accessToken, refreshToken, expiresIn, organisation, user: { ...user } },
  };
}

function failed(message: string): LoginOutcome {
  return { status: 'failed', message };
}
