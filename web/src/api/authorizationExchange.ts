import { type Exchange, makeOperation, type Operation, type OperationResult } from 'urql';
import {
  empty,
  fromPromise,
  fromValue,
  makeSubject,
  map,
  merge,
  mergeMap,
  pipe,
  share,
} from 'wonka';
import { requestRole, type Session } from '../session/session';
import { hasErrorCode } from './hasErrorCode';

export interface AuthorizationOptions {
  /** Returns the session whose access token the next request carries, or null for none. */
  currentSession: () => Session | null;
  /**
   * Called when the server rejects `accessToken` with the error code "invalid-jwt". Resolves
   * true once a newer access token is in place, and the operation is then sent once more.
   */
  renewRejected: (accessToken: string) => Promise<boolean>;
}

/** The context key under which an operation keeps the access token it was sent with. */
const sentTokenKey = 'acciAccessToken';
/** The context key that marks an operation already sent again after "invalid-jwt". */
const retriedKey = 'acciRetried';

/**
 * Creates an exchange that adds the current session's `Authorization` and `X-Hasura-Role`
 * headers to every operation as it is sent. When the server returns "invalid-jwt", it asks
 * for a renewed token and sends the operation once more, so the caller sees only the second
 * result. Mutations are retried too, because Hasura rejects a token before it runs anything.
 */
export function authorizationExchange(options: AuthorizationOptions): Exchange {
  return ({ forward }) =>
    (operations$) => {
      const retries = makeSubject<Operation>();
      const results$ = pipe(
        merge([operations$, retries.source]),
        map((operation) => authorize(operation, options.currentSession())),
        forward,
        share,
      );

      return pipe(
        results$,
        mergeMap((result) => {
          const sentToken: unknown = result.operation.context[sentTokenKey];
          if (!shouldRenew(result, sentToken)) return fromValue(result);

          return pipe(
            fromPromise(options.renewRejected(sentToken)),
            mergeMap((renewed) => {
              if (!renewed) return fromValue(result);

              retries.next(
                makeOperation(result.operation.kind, result.operation, {
                  ...result.operation.context,
                  [retriedKey]: true,
                }),
              );
              return empty;
            }),
          );
        }),
      );
    };
}

function authorize(operation: Operation, session: Session | null): Operation {
  if (operation.kind === 'teardown') return operation;

  const { fetchOptions } = operation.context;
  const base = typeof fetchOptions === 'function' ? fetchOptions() : (fetchOptions ?? {});
  const headers: Record<string, string> = { ...(base.headers as Record<string, string>) };
  delete headers.Authorization;
  delete headers['X-Hasura-Role'];
  if (session !== null) {
    headers.Authorization = `Bearer ${session.accessToken}`;
    headers['X-Hasura-Role'] = requestRole(session.user);
  }

  return makeOperation(operation.kind, operation, {
    ...operation.context,
    fetchOptions: { ...base, headers },
    [sentTokenKey]: session?.accessToken,
  });
}

function shouldRenew(result: OperationResult, sentToken: unknown): sentToken is string {
  return (
    typeof sentToken === 'string' &&
    result.operation.context[retriedKey] !== true &&
    result.error !== undefined &&
    hasErrorCode(result.error, 'invalid-jwt')
  );
}
