import type { IncomingMessage, ServerResponse } from 'node:http';
import { EngineError, toEngineError } from '../errors.js';
import { executeGraphql } from '../execute/graphql-request.js';
import { checkBatchLimit, requestLimits } from '../execute/limits.js';
import type { GraphqlRequest } from '../execute/prepare.js';
import { errorBody } from '../execute/response.js';
import { isRecord } from '../util/json.js';
import type { App } from './app.js';
import { parseJsonBody, readBody, sendJson } from './body.js';
import { httpRequestContext } from './request-context.js';

function asRequest(value: unknown): GraphqlRequest {
  if (!isRecord(value)) {
    throw new EngineError('parse-failed', 'the request body must be a JSON object with a "query"', {
      status: 200,
    });
  }
  return value as unknown as GraphqlRequest;
}

/**
 * Status of a `/v1alpha1/graphql` reply. That legacy endpoint sends a failed request's HTTP
 * status (400, or 401 for a missing admin secret) where `/v1/graphql` sends 200.
 */
function legacyStatus(body: string): number {
  const parsed = JSON.parse(body) as unknown;
  if (!isRecord(parsed) || 'data' in parsed || !Array.isArray(parsed.errors)) return 200;
  return 400;
}

/** `POST /v1/graphql`: one request or a batch (a JSON array of requests). */
export async function handleGraphql(
  app: App,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<number> {
  const legacy = request.url?.split('?')[0] === '/v1alpha1/graphql';
  let body: unknown;
  try {
    body = parseJsonBody(await readBody(request));
  } catch (error) {
    const engineError = toEngineError(error);
    sendJson(response, engineError.status, errorBody(engineError, false));
    return engineError.status;
  }
  let session: Awaited<ReturnType<App['authenticate']>>;
  try {
    session = await app.authenticate(request.headers);
  } catch (error) {
    const engineError = toEngineError(error);
    const status = legacy ? Math.max(engineError.status, 400) : 200;
    sendJson(response, status, errorBody(engineError, app.state.config.devMode));
    return status;
  }
  const context = httpRequestContext(request, response);
  try {
    if (Array.isArray(body)) {
      const limits = requestLimits(app.state.metadata, session.role, app.state.config.limits);
      checkBatchLimit(body.length, limits);
      const results: string[] = [];
      for (const item of body) {
        results.push(
          await executeGraphql(app.state, session, asRequest(item), request.headers, context),
        );
      }
      sendJson(response, 200, `[${results.join(',')}]`);
      return 200;
    }
    const result = await executeGraphql(
      app.state,
      session,
      asRequest(body),
      request.headers,
      context,
    );
    const status = legacy ? legacyStatus(result) : 200;
    sendJson(response, status, result);
    return status;
  } catch (error) {
    const engineError = toEngineError(error);
    const status = legacy ? Math.max(engineError.status, 400) : 200;
    sendJson(response, status, errorBody(engineError, app.state.config.devMode));
    return status;
  }
}
