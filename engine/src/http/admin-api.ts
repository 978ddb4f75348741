import type { IncomingMessage, ServerResponse } from 'node:http';
import { EngineError, toEngineError } from '../errors.js';
import { runAdminRequest } from '../metadata/api/dispatch.js';
import { adminRole } from '../schema/access.js';
import type { App } from './app.js';
import { apiError, parseJsonBody, readBody, sendJson } from './body.js';

async function handleAdmin(
  app: App,
  request: IncomingMessage,
  response: ServerResponse,
  endpoint: 'metadata' | 'query',
): Promise<number> {
  try {
    const body = parseJsonBody(await readBody(request));
    const session = await app.authenticate(request.headers);
    if (session.role !== adminRole) {
      throw new EngineError('access-denied', 'restricted access : admin only', {
        path: '$.args',
        status: 400,
      });
    }
    const result = await runAdminRequest(app.state, body, endpoint);
    sendJson(response, 200, result as object);
    return 200;
  } catch (error) {
    const engineError = toEngineError(error);
    const status = engineError.status === 200 ? 400 : engineError.status;
    if (engineError.code === 'unexpected') {
      const cause =
        engineError.cause instanceof Error
          ? engineError.cause.message
          : String(engineError.cause ?? error);
      app.state.log({ level: 'error', type: 'admin-api-error', error: cause });
    }
    sendJson(response, status, { ...apiError(engineError), ...(engineError.extensions ?? {}) });
    return status;
  }
}

/** `POST /v1/metadata`. */
export function handleMetadata(
  app: App,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<number> {
  return handleAdmin(app, request, response, 'metadata');
}

/** `POST /v1/query` and `POST /v2/query`. */
export function handleQuery(
  app: App,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<number> {
  return handleAdmin(app, request, response, 'query');
}
