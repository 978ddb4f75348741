import type { CombinedError } from 'urql';
import { hasErrorCode } from '../api/hasErrorCode';
import { describeLoginError } from './readLoginOutcome';

export const expiredChallengeMessage =
  'The verification step has expired or was used up. Sign in again.';

/** Reaction of a second-factor form to an error. */
export type MfaFailure =
  /** The mfaToken is dead: the user starts again at the password. */
  | { kind: 'restart'; message: string }
  /** The tenant requires a factor that the user has not enrolled. */
  | { kind: 'enrol' }
  /** The user may correct the code or try again. */
  | { kind: 'retry'; message: string };

/** Codes whose server message gives the user the next step, so the form shows it unchanged. */
const codesWithUserMessage = ['invalid-mfa-code', 'mfa-unavailable', 'sms-delivery-failed'];

/** Decides how a form of the second factor reacts to the error of "verifyMfa" and the like. */
export function readMfaError(error: CombinedError): MfaFailure {
  if (hasErrorCode(error, 'invalid-mfa-token')) {
    return { kind: 'restart', message: expiredChallengeMessage };
  }
  if (hasErrorCode(error, 'mfa-enrolment-required')) return { kind: 'enrol' };

  const userError = error.graphQLErrors.find((graphQLError) =>
    codesWithUserMessage.includes(String(graphQLError.extensions.code)),
  );
  if (userError !== undefined) return { kind: 'retry', message: userError.message };

  return { kind: 'retry', message: describeLoginError(error) };
}
