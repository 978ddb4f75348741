import { Kind } from 'graphql';
import {
  type Exchange,
  makeErrorResult,
  makeResult,
  type Operation,
  type OperationResult,
} from 'urql';
import { filter, make, mergeMap, pipe, share, takeUntil } from 'wonka';

/** The JSON body a GraphQL server returns. */
export interface ServerResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/**
 * Produces the response to one operation. Returning a promise keeps the operation in flight
 * until it settles. Throwing or rejecting turns into a network error.
 */
export type Responder = (request: RecordedRequest) => ServerResponse | Promise<ServerResponse>;

/** An operation as the server would have received it. */
export interface RecordedRequest {
  operationName: string;
  variables: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Thrown by a responder to act as a server that failed with an HTTP status and no JSON body. */
export class HttpFailure extends Error {
  readonly status: number;

  constructor(status: number, statusText: string) {
    super(statusText);
    this.status = status;
  }
}

/**
 * Creates an exchange that resolves operations with `responders`, keyed by operation name, in
 * place of `fetchExchange`. Every operation it receives is appended to `requests`.
 */
export function memoryExchange(responders: Record<string, Responder>): {
  exchange: Exchange;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];

  const exchange: Exchange = () => (operations$) => {
    const shared$ = pipe(operations$, share);
    const answer = (operation: Operation) => {
      const teardown$ = pipe(
        shared$,
        filter((next) => next.kind === 'teardown' && next.key === operation.key),
      );

      return pipe(
        make<OperationResult>((observer) => {
          let cancelled = false;
          // Like fetchExchange, wait one microtask before sending, so an operation that is torn
          // down at once (useQuery does so while rendering) never reaches the server.
          queueMicrotask(async () => {
            if (cancelled) return;

            const request = recordRequest(operation);
            requests.push(request);
            const outcome = await respond(responders, request);
            if (cancelled) return;

            observer.next(toResult(operation, outcome));
            observer.complete();
          });

          return () => {
            cancelled = true;
          };
        }),
        takeUntil(teardown$),
      );
    };

    return pipe(
      shared$,
      filter((operation) => operation.kind === 'query' || operation.kind === 'mutation'),
      mergeMap(answer),
    );
  };

  return { exchange, requests };
}

function toResult(operation: Operation, outcome: ServerResponse | Error): OperationResult {
  if (outcome instanceof HttpFailure) {
    // fetchExchange reports the status text as the network error and keeps the response.
    const response = { status: outcome.status, statusText: outcome.message };
    return makeErrorResult(operation, new Error(outcome.message), response);
  }
  if (outcome instanceof Error) return makeErrorResult(operation, outcome);

  return makeResult(operation, outcome);
}

async function respond(
  responders: Record<string, Responder>,
  request: RecordedRequest,
): Promise<ServerResponse | Error> {
  const responder = responders[request.operationName];
  if (responder === undefined) {
    return new Error(
      `memoryExchange has no responder for "${request.operationName}". Add one to the test.`,
    );
  }

  try {
    return await responder(request);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function recordRequest(operation: Operation): RecordedRequest {
  const { fetchOptions } = operation.context;
  const options = typeof fetchOptions === 'function' ? fetchOptions() : fetchOptions;

  return {
    operationName: operationName(operation),
    variables: { ...operation.variables },
    headers: headersToRecord(options?.headers),
  };
}

function operationName(operation: Operation): string {
  const { query } = operation;
  // urql types the document as a union with its persisted-document type, which has no fields.
  if (!('definitions' in query)) return '';

  for (const definition of query.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.name !== undefined) {
      return definition.name.value;
    }
  }

  return '';
}

function headersToRecord(headers: HeadersInit | undefined): Record<string, string> {
  if (headers === undefined) return {};
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    return Object.fromEntries(headers.entries());
  }

  return { ...(headers as Record<string, string>) };
}

/** Returns a responder that resolves every request with `response`. */
export function reply(response: ServerResponse): Responder {
  return () => response;
}

/** A responder that never resolves, leaving each operation in flight. */
export const noReply: Responder = () => new Promise(() => {});
