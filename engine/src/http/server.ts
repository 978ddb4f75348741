import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { toEngineError } from '../errors.js';
import { handleMetadata, handleQuery } from './admin-api.js';
import type { App } from './app.js';
import { apiError, sendJson } from './body.js';
import { handleGraphql } from './graphql.js';
import { handleRest } from './rest.js';

/** Version string `/v1/version` returns: Hasura's release this engine follows, marked as ours. */
export const engineVersion = 'v2.48.10-acci';

type Handler = (app: App, request: IncomingMessage, response: ServerResponse) => Promise<number>;

const postRoutes: Record<string, Handler> = {
  '/v1/graphql': handleGraphql,
  '/v1alpha1/graphql': handleGraphql,
  '/v1beta1/relay': handleGraphql,
  '/v1/metadata': handleMetadata,
  '/v1/query': handleQuery,
  '/v2/query': handleQuery,
};

function allowCors(request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin;
  response.setHeader('access-control-allow-origin', origin ?? '*');
  if (origin !== undefined) response.setHeader('access-control-allow-credentials', 'true');
  response.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
  const requested = request.headers['access-control-request-headers'];
  response.setHeader(
    'access-control-allow-headers',
    typeof requested === 'string' ? requested : '*',
  );
}

async function route(
  app: App,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<number> {
  const url = new URL(request.url ?? '/', 'http://engine');
  const method = request.method ?? 'GET';
  if (method === 'OPTIONS') {
    response.writeHead(204);
    response.end();
    return 204;
  }
  if (url.pathname === '/healthz' || url.pathname === '/hasura/healthz') {
    const healthy = app.state.inconsistent.length === 0;
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(healthy ? 'OK' : 'WARN: inconsistent objects in schema');
    return 200;
  }
  if (url.pathname === '/v1/version' && method === 'GET') {
    sendJson(response, 200, { version: engineVersion });
    return 200;
  }
  if (url.pathname.startsWith('/api/rest/')) return handleRest(app, request, response, url);
  const handler = postRoutes[url.pathname];
  if (handler !== undefined && method === 'POST') return handler(app, request, response);
  const status = handler === undefined ? 404 : 405;
  sendJson(response, status, {
    path: '$',
    error: handler === undefined ? 'resource does not exist' : `method ${method} not allowed`,
    code: handler === undefined ? 'not-found' : 'method-not-allowed',
  });
  return status;
}

function logLevel(status: number): 'error' | 'warn' | 'info' {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return 'info';
}

/** Creates the HTTP server with Hasura's endpoints; every request gets one log line. */
export function createHttpServer(app: App): Server {
  return createServer((request, response) => {
    const started = performance.now();
    const requestId =
      typeof request.headers['x-request-id'] === 'string'
        ? request.headers['x-request-id']
        : randomUUID();
    response.setHeader('x-request-id', requestId);
    allowCors(request, response);
    route(app, request, response)
      .catch((error: unknown) => {
        const engineError = toEngineError(error);
        if (!response.headersSent) sendJson(response, engineError.status, apiError(engineError));
        app.state.log({
          level: 'error',
          type: 'http-error',
          request_id: requestId,
          error: String(error),
        });
        return engineError.status;
      })
      .then((status) => {
        app.state.log({
          level: logLevel(status),
          type: 'http-log',
          request_id: requestId,
          method: request.method,
          path: request.url?.split('?')[0],
          status,
          duration_ms: Math.round((performance.now() - started) * 10) / 10,
        });
      });
  });
}
