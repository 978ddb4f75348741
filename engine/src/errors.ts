/** Error codes of Hasura GraphQL Engine v2, as they appear in `extensions.code` and `code`. */
export type ErrorCode =
  | 'access-denied'
  | 'already-exists'
  | 'bad-request'
  | 'constraint-error'
  | 'constraint-violation'
  | 'data-exception'
  | 'invalid-headers'
  | 'invalid-json'
  | 'invalid-jwt'
  | 'jwt-invalid-claims'
  | 'jwt-missing-role-claims'
  | 'not-exists'
  | 'not-found'
  | 'not-supported'
  | 'parse-failed'
  | 'permission-denied'
  | 'permission-error'
  | 'postgres-error'
  | 'unexpected'
  | 'validation-failed'
  | (string & {});

/**
 * Client-facing failure with Hasura's code, JSON path and HTTP status. Only bad input from
 * outside becomes an `EngineError`; programming mistakes stay plain `Error`s.
 */
export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly path: string;
  readonly status: number;
  /** Extra members of `extensions`, such as those an action handler returned. */
  readonly extensions: Record<string, unknown> | undefined;
  /** False when `extensions` came whole from an action handler, which Hasura passes on as is. */
  readonly showPath: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      path?: string;
      status?: number;
      cause?: unknown;
      extensions?: Record<string, unknown>;
      showPath?: boolean;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'EngineError';
    this.code = code;
    this.path = options.path ?? '$';
    this.status = options.status ?? 400;
    this.extensions = options.extensions;
    this.showPath = options.showPath ?? true;
  }
}

/** Returns the error as an `EngineError`, wrapping anything else as Hasura's `unexpected`. */
export function toEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  return new EngineError('unexpected', 'database query error', { status: 500, cause: error });
}
