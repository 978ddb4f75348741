import type { IncomingHttpHeaders } from 'node:http';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import { callAction } from '../actions/call.js';
import { CompileContext } from '../compile/context.js';
import { subFields } from '../compile/fields.js';
import { readValue } from '../compile/values.js';
import { EngineError, toEngineError } from '../errors.js';
import type { EngineState } from '../state.js';
import { checkAllowlist } from './allowlist.js';
import { checkOperationLimits, requestLimits } from './limits.js';
import { type GraphqlRequest, prepareOperation } from './prepare.js';
import { errorBody } from './response.js';
import { type ActionRunner, runOperation } from './run.js';
import type { Session } from './session.js';

const trueTexts = ['true', 't', 'yes', 'y'];
const falseTexts = ['false', 'f', 'no', 'n'];

/** Reads `x-hasura-use-backend-only-permissions`, which admin-secret requests may send. */
function backendOnlyRequested(session: Session): boolean {
  const value = session.variables['x-hasura-use-backend-only-permissions'];
  if (value === undefined) return false;
  const text = value.trim().toLowerCase();
  if (trueTexts.includes(text)) return true;
  if (falseTexts.includes(text)) return false;
  throw new EngineError(
    'bad-request',
    'x-hasura-use-backend-only-permissions:  Not a valid boolean text. True values are ["true","t","yes","y"] and  False values are ["false","f","no","n"]. All values are case insensitive',
    { status: 200 },
  );
}

/** Facts about a request that its headers do not carry, passed in by the transport. */
export interface RequestContext {
  /** TCP peer address of the client, appended to `X-Forwarded-For` for action handlers. */
  clientAddress?: string | undefined;
  /** Aborted when the client goes away, which cancels the running Postgres statement. */
  signal?: AbortSignal | undefined;
}

/** Returns the TCP peer address of a socket, with IPv4-mapped IPv6 addresses unwrapped. */
export function peerAddress(socket: { remoteAddress?: string | undefined }): string | undefined {
  const address = socket.remoteAddress;
  if (address === undefined) return undefined;
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** Returns the operation a request names, or its only one; prepareOperation reports the rest. */
function findOperation(
  document: DocumentNode,
  name: string | null | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (name === undefined || name === null || name === '') {
    return operations.length === 1 ? operations[0] : undefined;
  }
  return operations.find((operation) => operation.name?.value === name);
}

/**
 * Turns a RangeError, which the recursive walks over a query or its variables raise when
 * the input is nested deeper than the call stack allows, into a client error.
 */
function nestedTooDeeply(error: RangeError): EngineError {
  return new EngineError(
    'validation-failed',
    'the query or its variables are nested too deeply. Reduce the nesting and try again.',
    { status: 200, cause: error },
  );
}

/** Runs one GraphQL request for a session and returns the response body as JSON text. */
export async function executeGraphql(
  state: EngineState,
  session: Session,
  request: GraphqlRequest,
  headers: IncomingHttpHeaders,
  context: RequestContext = {},
): Promise<string> {
  try {
    if (typeof request.query !== 'string') {
      throw new EngineError('parse-failed', 'the key "query" was not found', { status: 200 });
    }
    if (request.extensions?.persistedQuery !== undefined) {
      throw new EngineError('not-supported', 'Automatic Persisted Queries is not enabled', {
        status: 200,
      });
    }
    checkAllowlist(state, session, request.query);
    const limits = requestLimits(state.metadata, session.role, state.config.limits);
    const document = state.plans.document(request.query);
    const fragments = fragmentsOf(document);
    const requested = findOperation(document, request.operationName);
    if (requested !== undefined) checkOperationLimits(requested, fragments, limits);
    const roleSchema = state.roleSchema(session.role, backendOnlyRequested(session));
    const prepared = prepareOperation(
      state.plans,
      state.catalog,
      roleSchema,
      request,
      state.config.stringifyNumericTypes,
    );
    const runtime = new CompileContext(
      state.catalog,
      session.role,
      false,
      prepared.variables,
      fragments,
    );
    const runAction: ActionRunner = (step) => {
      const input: Record<string, unknown> = {};
      for (const argument of step.field.nodes[0]?.arguments ?? []) {
        input[argument.name.value] = runtime.variables.resolve(
          readValue(argument.value, prepared.variables),
        );
      }
      return callAction(
        {
          action: step.action,
          field: step.field,
          input,
          session,
          clientHeaders: headers,
          clientAddress: context.clientAddress,
          env: state.config.env,
          customTypes: state.metadata.custom_types ?? {},
          readSelection: (field, typeName) => subFields(runtime, field, typeName, step.path),
        },
        request.query,
      );
    };
    return await runOperation({
      pool: state.pool,
      roleSchema,
      plan: prepared.plan,
      document: prepared.document,
      operation: prepared.operation,
      variables: prepared.variables,
      session,
      runAction,
      statementTimeoutMs: limits.statementTimeoutMs,
      signal: context.signal,
      cancelBackend: (pid) => state.cancelBackend(pid),
    });
  } catch (error) {
    const engineError = error instanceof RangeError ? nestedTooDeeply(error) : toEngineError(error);
    if (!(error instanceof EngineError) || engineError.code === 'unexpected') {
      state.log({
        level: 'error',
        type: 'graphql-error',
        role: session.role,
        error: String(error instanceof Error ? (error.cause ?? error.message) : error),
      });
    }
    return JSON.stringify(errorBody(engineError, state.config.devMode));
  }
}
