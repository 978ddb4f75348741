import type { CombinedError } from 'urql';

/**
 * Tells whether any GraphQL error in `error` carries `extensions.code` equal to `code`, the
 * kebab-case code Hasura and the ACCI engine attach, e.g. "invalid-jwt".
 */
export function hasErrorCode(error: CombinedError, code: string): boolean {
  return error.graphQLErrors.some((graphQLError) => graphQLError.extensions.code === code);
}
