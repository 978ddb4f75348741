import { EngineError } from '../errors.js';

interface PostgresError {
  code: string;
  message: string;
}

function isPostgresError(error: unknown): error is PostgresError {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(error.code)
  );
}

const constraintPrefixes: Record<string, string> = {
  '23505': 'Uniqueness violation. ',
  '23503': 'Foreign key violation. ',
  '23502': 'Not-NULL violation. ',
  '23514': 'Check constraint violation. ',
  '23P01': 'Exclusion violation. ',
};

/**
 * Maps a Postgres error to Hasura's GraphQL error. Constraint violations and data exceptions
 * keep the Postgres message. Anything else becomes "database query error", so internal
 * details stay in the log.
 */
export function fromPostgresError(error: unknown, path = '$'): EngineError {
  if (error instanceof EngineError) return error;
  if (!isPostgresError(error)) {
    return new EngineError('unexpected', 'database query error', {
      path,
      status: 200,
      cause: error,
    });
  }
  const prefix = constraintPrefixes[error.code];
  if (prefix !== undefined) {
    return new EngineError('constraint-violation', `${prefix}${error.message}`, {
      path,
      status: 200,
      cause: error,
    });
  }
  if (error.code.startsWith('23')) {
    return new EngineError('constraint-violation', error.message, {
      path,
      status: 200,
      cause: error,
    });
  }
  if (error.code === '22025') {
    return new EngineError('bad-request', error.message, { path, status: 200, cause: error });
  }
  if (error.code.startsWith('22')) {
    return new EngineError('data-exception', error.message, { path, status: 200, cause: error });
  }
  if (error.code === '42501') {
    return new EngineError('permission-error', error.message, { path, status: 200, cause: error });
  }
  return new EngineError('unexpected', 'database query error', { path, status: 200, cause: error });
}
