import type { IncomingMessage, ServerResponse } from 'node:http';
import { peerAddress, type RequestContext } from '../execute/graphql-request.js';

/**
 * Builds the context of one HTTP request: the client's TCP address and a signal that aborts
 * when the connection closes before the response was sent.
 */
export function httpRequestContext(
  request: IncomingMessage,
  response: ServerResponse,
): RequestContext {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return { clientAddress: peerAddress(request.socket), signal: controller.signal };
}
