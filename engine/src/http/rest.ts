import type { IncomingMessage, ServerResponse } from 'node:http';
import { Kind, type OperationDefinitionNode, parse, type TypeNode } from 'graphql';
import { EngineError, toEngineError } from '../errors.js';
import { executeGraphql } from '../execute/graphql-request.js';
import { matchEndpoint } from '../rest/match.js';
import { isRecord } from '../util/json.js';
import type { App } from './app.js';
import { apiError, parseJsonBody, readBody, sendJson } from './body.js';
import { httpRequestContext } from './request-context.js';

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** Converts query-string and path values to the declared variable types. */
function coerceText(value: string, type: TypeNode): unknown {
  const name = namedType(type);
  if (type.kind === Kind.NON_NULL_TYPE && type.type.kind === Kind.LIST_TYPE)
    return value.split(',');
  if (name === 'Int' || name === 'Float') {
    const number = Number(value);
    return Number.isNaN(number) ? value : number;
  }
  if (name === 'Boolean' && value === 'true') return true;
  if (name === 'Boolean' && value === 'false') return false;
  return value;
}

function findQuery(app: App, collection: string, name: string): string {
  const found = (app.state.metadata.query_collections ?? [])
    .find((item) => item.name === collection)
    ?.definition.queries.find((item) => item.name === name);
  if (found === undefined) {
    throw new EngineError(
      'not-found',
      `query "${name}" of collection "${collection}" does not exist`,
      { status: 404 },
    );
  }
  return found.query;
}

/** `/api/rest/<url>`: runs a stored query of a RESTified endpoint and returns its data. */
export async function handleRest(
  app: App,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<number> {
  try {
    // Hasura authenticates before it matches the endpoint, so a missing secret gets 401 first.
    const session = await app.authenticate(request.headers);
    const method = request.method ?? 'GET';
    const matches = matchEndpoint(
      app.state.metadata.rest_endpoints ?? [],
      url.pathname.slice('/api/rest/'.length),
    );
    if (matches.length === 0)
      throw new EngineError('not-found', 'Endpoint not found', { status: 404 });
    const match = matches.find((item) =>
      item.endpoint.methods.map((m) => m.toUpperCase()).includes(method),
    );
    if (match === undefined)
      throw new EngineError('method-not-allowed', 'Method not allowed', { status: 405 });

    const { collection_name: collection, query_name: name } = match.endpoint.definition.query;
    const query = findQuery(app, collection, name);
    const operation = parse(query).definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION,
    );
    const declared = new Map(
      (operation?.variableDefinitions ?? []).map((item) => [item.variable.name.value, item.type]),
    );
    const text = await readBody(request);
    const body = text.trim() === '' ? {} : parseJsonBody(text);
    const variables: Record<string, unknown> = isRecord(body) ? { ...body } : {};
    for (const [key, value] of [...url.searchParams.entries(), ...Object.entries(match.params)]) {
      const type = declared.get(key);
      variables[key] = type === undefined ? value : coerceText(value, type);
    }
    const result = JSON.parse(
      await executeGraphql(
        app.state,
        session,
        { query, variables },
        request.headers,
        httpRequestContext(request, response),
      ),
    ) as {
      data?: unknown;
      errors?: { message: string; extensions?: { path?: string; code?: string } }[];
    };
    const [first] = result.errors ?? [];
    if (first !== undefined) {
      sendJson(response, 400, {
        path: first.extensions?.path ?? '$',
        error: first.message,
        code: first.extensions?.code ?? 'unexpected',
      });
      return 400;
    }
    sendJson(response, 200, (result.data ?? {}) as object);
    return 200;
  } catch (error) {
    const engineError = toEngineError(error);
    const status = engineError.status === 200 ? 400 : engineError.status;
    sendJson(response, status, apiError(engineError));
    return status;
  }
}
