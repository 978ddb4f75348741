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

/** `POST /v1/graphql`: one request or a batch (a JSON array of requests). */
export async function handleGraphql(
  app: App,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<number> {
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
    sendJson(response, 200, errorBody(engineError, app.state.config.devMode));
    return 200;
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
    sendJson(
      response,
      200,
      await executeGraphql(app.state, session, asRequest(body), request.headers, context),
    );
    return 200;
  } catch (error) {
    sendJson(response, 200, errorBody(toEngineError(error), app.state.config.devMode));
    return 200;
  }
}
