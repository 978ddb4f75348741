import type { IncomingHttpHeaders } from 'node:http';
import type { CollectedField } from '../compile/fields.js';
import { EngineError } from '../errors.js';
import type { Session } from '../execute/session.js';
import type { Action, CustomTypes } from '../metadata/types.js';
import { isRecord } from '../util/json.js';
import { type SelectionReader, shapeOutput } from './output.js';

/** Client headers never forwarded to a handler, because they describe the client's own connection. */
const hopHeaders = new Set([
  'host',
  'content-length',
  'content-type',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'accept-encoding',
  'x-hasura-admin-secret',
]);

export interface ActionCall {
  action: Action;
  field: CollectedField;
  input: Record<string, unknown>;
  session: Session;
  clientHeaders: IncomingHttpHeaders;
  /** TCP peer address of the client request, or undefined when the transport has none. */
  clientAddress: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  customTypes: CustomTypes;
  readSelection: SelectionReader;
}

/** Replaces `{{NAME}}` with the environment variable `NAME`. */
export function resolveTemplate(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) {
      throw new EngineError(
        'unexpected',
        `environment variable "${name}" used in the action handler is not set`,
        { status: 200 },
      );
    }
    return value;
  });
}

function requestHeaders(call: ActionCall): Record<string, string> {
  const headers: Record<string, string> = {};
  if (call.action.definition.forward_client_headers === true) {
    for (const [name, value] of Object.entries(call.clientHeaders)) {
      if (hopHeaders.has(name) || value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    // Like a proxy, the engine appends the address it saw, so the handler can tell the real
    // peer from whatever the client wrote into the header.
    if (call.clientAddress !== undefined) {
      const forwarded = headers['x-forwarded-for'];
      headers['x-forwarded-for'] =
        forwarded === undefined || forwarded.trim() === ''
          ? call.clientAddress
          : `${forwarded}, ${call.clientAddress}`;
    }
  }
  for (const item of call.action.definition.headers ?? []) {
    const value =
      item.value ?? (item.value_from_env === undefined ? undefined : call.env[item.value_from_env]);
    if (value !== undefined) headers[item.name.toLowerCase()] = value;
  }
  headers['content-type'] = 'application/json';
  return headers;
}

function handlerError(status: number, body: unknown): EngineError {
  if (!isRecord(body) || typeof body.message !== 'string') {
    return new EngineError(
      'unexpected',
      `webhook response: expected an object with a "message" but got HTTP ${status}`,
      { status: 200 },
    );
  }
  if (isRecord(body.extensions)) {
    const code = typeof body.extensions.code === 'string' ? body.extensions.code : 'unexpected';
    const { code: _code, ...rest } = body.extensions;
    return new EngineError(code, body.message, { status: 200, extensions: rest, showPath: false });
  }
  const code = typeof body.code === 'string' ? body.code : 'unexpected';
  return new EngineError(code, body.message, { status: 200 });
}

/**
 * POSTs Hasura's action payload to the handler and returns the output, checked against the
 * output type and shaped by the selection set, as JSON text.
 */
export async function callAction(call: ActionCall, requestQuery: string): Promise<string> {
  const definition = call.action.definition;
  const url = resolveTemplate(definition.handler, call.env);
  const payload = {
    action: { name: call.action.name },
    input: call.input,
    session_variables: call.session.variables,
    request_query: requestQuery,
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: requestHeaders(call),
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout((definition.timeout ?? 30) * 1000),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new EngineError(
      'unexpected',
      timedOut
        ? 'http exception when calling webhook: the request timed out'
        : 'http exception when calling webhook',
      { status: 200, cause: error },
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch (error) {
    throw new EngineError('unexpected', 'not a valid json response from webhook', {
      status: 200,
      cause: error,
    });
  }
  if (response.status >= 200 && response.status < 300) {
    const output = shapeOutput(
      call.customTypes,
      definition.output_type ?? 'Boolean',
      body,
      call.field,
      call.readSelection,
    );
    return JSON.stringify(output);
  }
  if (response.status >= 400 && response.status < 500) throw handlerError(response.status, body);
  throw new EngineError('unexpected', `webhook returned HTTP ${response.status}`, { status: 200 });
}
