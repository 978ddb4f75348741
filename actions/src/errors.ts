/** Codes in `extensions.code` of every error the action server returns. */
export type ActionErrorCode =
  | 'access-denied'
  | 'account-disabled'
  | 'account-expired'
  | 'account-locked'
  | 'directory-not-configured'
  | 'directory-unavailable'
  | 'invalid-api-key'
  | 'invalid-credentials'
  | 'invalid-current-password'
  | 'invalid-json'
  | 'invalid-mfa-code'
  | 'invalid-mfa-token'
  | 'mfa-already-enabled'
  | 'mfa-enrolment-required'
  | 'mfa-not-enabled'
  | 'mfa-unavailable'
  | 'invalid-refresh-token'
  | 'invalid-tenant-status'
  | 'invalid-token'
  | 'not-found'
  | 'password-change-required'
  | 'password-expired'
  | 'password-policy-violation'
  | 'payload-too-large'
  | 'plugin-already-installed'
  | 'plugin-dependency-unmet'
  | 'plugin-has-dependents'
  | 'plugin-not-found'
  | 'plugin-not-installed'
  | 'plugin-secrets-unavailable'
  | 'plugin-version-conflict'
  | 'invalid-plugin-config'
  | 'invalid-delivery-status'
  | 'signup-disabled'
  | 'tenant-exists'
  | 'sms-delivery-failed'
  | 'too-many-requests'
  | 'unauthorized'
  | 'unexpected'
  | 'user-exists'
  | 'validation-failed';

/**
 * Failure caused by a request from outside. Its message goes to the log, and to the client
 * only where `errorTable` has no fixed message for the code. Programming mistakes stay plain
 * `Error`s and leave as `unexpected`.
 */
export class ActionError extends Error {
  readonly code: ActionErrorCode;

  constructor(code: ActionErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ActionError';
    this.code = code;
  }
}

/**
 * HTTP status and public message of each code. A code with a fixed `message` never shows the
 * error's own message, so the real reason of a rejected sign-in or a crash stays in the log.
 */
export const errorTable: Record<ActionErrorCode, { status: number; message?: string }> = {
  'access-denied': { status: 403 },
  // The account codes below are sent only after the directory accepted the password, so they
  // reveal nothing to someone who does not know it.
  'account-disabled': {
    status: 403,
    message: 'The directory account is disabled. Ask your administrator to enable it.',
  },
  'account-expired': {
    status: 403,
    message: 'The directory account has expired. Ask your administrator to extend it.',
  },
  'account-locked': {
    status: 403,
    message:
      'The directory account is locked. Wait for the lockout to end or ask your administrator.',
  },
  'directory-not-configured': { status: 400 },
  // A 503 would describe it better, but Hasura v2 passes an action's error code on only for
  // 4xx responses and turns any other status into a generic internal error.
  'directory-unavailable': {
    status: 400,
    message: 'The directory server cannot be reached. Try again later or ask your administrator.',
  },
  'invalid-api-key': { status: 400, message: 'Invalid, expired or revoked API key.' },
  'invalid-credentials': { status: 400, message: 'Invalid tenant, email or password.' },
  'invalid-current-password': {
    status: 400,
    message: 'The current password is wrong. Enter the password you signed in with.',
  },
  'invalid-json': { status: 400 },
  'invalid-mfa-code': {
    status: 400,
    message:
      'Invalid or expired code. Enter the current code of your authenticator app, the latest ' +
      'SMS code or an unused recovery code.',
  },
  'invalid-mfa-token': {
    status: 400,
    message: 'Invalid, expired or already used MFA token. Sign in again.',
  },
  'mfa-already-enabled': { status: 409 },
  'mfa-enrolment-required': { status: 403 },
  'mfa-not-enabled': { status: 400 },
  'mfa-unavailable': { status: 400 },
  'invalid-refresh-token': {
    status: 400,
    message: 'Invalid, expired or revoked refresh token. Sign in again.',
  },
  'invalid-tenant-status': { status: 409 },
  'invalid-token': {
    status: 400,
    message: 'Invalid, expired or already used link. Request a new one.',
  },
  'not-found': { status: 404 },
  'password-change-required': {
    status: 403,
    message: 'The directory requires a new password. Change it in your organisation, then sign in.',
  },
  'password-expired': {
    status: 403,
    message: 'The directory password has expired. Change it in your organisation, then sign in.',
  },
  'password-policy-violation': { status: 400 },
  'payload-too-large': { status: 413 },
  'plugin-already-installed': { status: 409 },
  'plugin-dependency-unmet': { status: 409 },
  'plugin-has-dependents': { status: 409 },
  'plugin-not-found': { status: 404 },
  'plugin-not-installed': { status: 404 },
  'plugin-secrets-unavailable': { status: 400 },
  'plugin-version-conflict': { status: 409 },
  'invalid-plugin-config': { status: 400 },
  'invalid-delivery-status': { status: 409 },
  'signup-disabled': {
    status: 403,
    message: 'Self-service sign-up is disabled. Ask the platform operator for a tenant.',
  },
  'tenant-exists': { status: 409 },
  'sms-delivery-failed': {
    status: 400,
    message: 'The SMS could not be sent. Try again in a minute.',
  },
  'too-many-requests': {
    status: 429,
    message: 'Too many requests. Wait a few minutes, then try again.',
  },
  unauthorized: {
    status: 401,
    message: 'Missing or invalid "x-acci-action-secret" header. Call actions through Hasura.',
  },
  unexpected: { status: 500, message: 'Internal error.' },
  'user-exists': { status: 409 },
  'validation-failed': { status: 400 },
};

/** Body of an error response in the shape Hasura expects from an action handler. */
export interface ActionErrorBody {
  message: string;
  extensions: { code: ActionErrorCode };
}

/** Returns the HTTP status and body that `error` leaves the server as. */
export function toErrorResponse(error: ActionError): { status: number; body: ActionErrorBody } {
  const entry = errorTable[error.code];
  return {
    status: entry.status,
    body: { message: entry.message ?? error.message, extensions: { code: error.code } },
  };
}
