import type { CombinedError } from 'urql';
import { hasErrorCode } from '../api/hasErrorCode';
import type { LoginMutation } from '../gql/graphql';
import type { Session } from '../session/session';

/** Shown for any rejected sign-in, so it never reveals which of the three fields was wrong. */
export const invalidCredentialsMessage = 'The email, password or organisation is not correct.';
export const unreachableMessage =
  'The server could not be reached. Check your connection and try again.';
export const serverFailureMessage = 'Sign-in failed because of a server error. Try again later.';
export const tooManyAttemptsMessage =
  'Too many sign-in attempts. Wait a few minutes, then try again.';

/** The fields of a `LoginResult` that the console selects, from "login" or "verifyMfa". */
export type LoginResultFields = LoginMutation['login'];

export type LoginOutcome =
  | { status: 'signed-in'; session: Session }
  /** `methods` lists the confirmed factor types, such as "totp" and "sms". */
  | { status: 'mfa-required'; mfaToken: string; methods: string[] }
  | { status: 'mfa-enrolment-required'; mfaToken: string }
  | { status: 'failed'; message: string };

/**
 * Turns a `LoginResult`, or the error of the mutation that should have returned it, into a
 * session, a second-factor step or the message to show. `organisation` is the tenant id or
 * domain the user entered.
 */
export function readLoginOutcome(
  result: { data?: LoginResultFields | undefined; error?: CombinedError | undefined },
  organisation: string,
): LoginOutcome {
  if (result.error !== undefined) return failed(describeLoginError(result.error));

  const login = result.data;
  if (login === undefined) return failed(serverFailureMessage);

  if (login.mfaRequired) {
    if (login.mfaToken === null) return failed(serverFailureMessage);
    if (login.mfaEnrolmentRequired === true) {
      return { status: 'mfa-enrolment-required', mfaToken: login.mfaToken };
    }

    return { status: 'mfa-required', mfaToken: login.mfaToken, methods: login.mfaMethods ?? [] };
  }

  const { accessToken, refreshToken, expiresIn, user } = login;
  if (accessToken === null || refreshToken === null || expiresIn === null || user === null) {
    return failed(serverFailureMessage);
  }

  return {
    status: 'signed-in',
    session: { accessToken, refreshToken, expiresIn, organisation, user: { ...user } },
  };
}

/** Returns the message for an error of a sign-in mutation, hiding codes the user cannot act on. */
export function describeLoginError(error: CombinedError): string {
  if (hasErrorCode(error, 'invalid-credentials')) return invalidCredentialsMessage;
  if (hasErrorCode(error, 'too-many-requests')) return tooManyAttemptsMessage;
  // A network error without a response means the request never received an HTTP response.
  if (error.networkError !== undefined && error.response === undefined) return unreachableMessage;

  return serverFailureMessage;
}

function failed(message: string): LoginOutcome {
  return { status: 'failed', message };
}
