import type { IncomingMessage, ServerResponse } from 'node:http';
import { EngineError } from '../errors.js';

/** Largest request body accepted, in bytes. */
const maxBodyBytes = 50 * 1024 * 1024;

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(
          new EngineError('bad-request', `request body is larger than ${maxBodyBytes} bytes`, {
            status: 413,
          }),
        );
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Parses a JSON body; malformed JSON is Hasura's `invalid-json` with HTTP 400. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // The message of JSON.parse names engine internals, so it stays in `cause`.
    throw new EngineError('invalid-json', 'Error in $: Failed reading: not a valid json value', {
      status: 400,
      cause: error,
    });
  }
}

export function sendJson(response: ServerResponse, status: number, body: string | object): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(text);
}

/** Hasura's error body for REST-style APIs (`/v1/query`, `/v1/metadata`). */
export function apiError(error: EngineError): { path: string; error: string; code: string } {
  return { path: error.path, error: error.message, code: error.code };
}
