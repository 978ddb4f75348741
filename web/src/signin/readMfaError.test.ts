import { CombinedError } from 'urql';
import { tooManyAttemptsMessage, unreachableMessage } from './readLoginOutcome';
import { expiredChallengeMessage, readMfaError } from './readMfaError';

function graphQLFailure(code: string, message: string): CombinedError {
  return new CombinedError({ graphQLErrors: [{ message, extensions: { code } }] });
}

describe('readMfaError', () => {
  it('shows the message of a wrong code', () => {
    const error = graphQLFailure('invalid-mfa-code', 'Invalid or expired code.');

    expect(readMfaError(error)).toEqual({ kind: 'retry', message: 'Invalid or expired code.' });
  });

  it('restarts on a dead mfaToken', () => {
    const error = graphQLFailure(
      'invalid-mfa-token',
      'Invalid, expired or already used MFA token.',
    );

    expect(readMfaError(error)).toEqual({ kind: 'restart', message: expiredChallengeMessage });
  });

  it('asks for enrolment', () => {
    const error = graphQLFailure('mfa-enrolment-required', 'The tenant requires a second factor.');

    expect(readMfaError(error)).toEqual({ kind: 'enrol' });
  });

  it('reports too many attempts', () => {
    const error = graphQLFailure('too-many-requests', 'Too many requests.');

    expect(readMfaError(error)).toEqual({ kind: 'retry', message: tooManyAttemptsMessage });
  });

  it('reports a network error', () => {
    const error = new CombinedError({ networkError: new TypeError('Failed to fetch') });

    expect(readMfaError(error)).toEqual({ kind: 'retry', message: unreachableMessage });
  });
});
