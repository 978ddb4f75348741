import http from 'node:http';
import https from 'node:https';
import { engineVersion } from '../http/server.js';
import type { HeaderConf } from './definition.js';

/** A header as Hasura logs it in an invocation: the configuration, not the resolved secret. */
export type LoggedHeader = HeaderConf;

/** What the webhook returned, or why no response came. */
export type WebhookResult =
  | { kind: 'response'; status: number; headers: { name: string; value: string }[]; body: string }
  | { kind: 'failure'; message: string };

export interface WebhookRequest {
  url: string;
  /** Headers with their resolved values, sent after the default ones. */
  headers: { name: string; value: string }[];
  body: string;
  timeoutMs: number;
}

/** Headers Hasura adds to every delivery, ahead of the configured ones. */
export function defaultHeaders(): { name: string; value: string }[] {
  return [
    { name: 'Content-Type', value: 'application/json' },
    { name: 'User-Agent', value: `hasura-graphql-engine/${engineVersion}` },
  ];
}

/** Keep-alive agents shared by all deliveries of one engine, sized by the HTTP pool. */
export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

export function createAgents(maxSockets: number): Agents {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets }),
    https: new https.Agent({ keepAlive: true, maxSockets }),
  };
}

export function destroyAgents(agents: Agents): void {
  agents.http.destroy();
  agents.https.destroy();
}

/**
 * POSTs `request.body` and collects the whole response. A connection failure, an invalid URL
 * or no complete response within `timeoutMs` gives a `failure`, never a thrown error.
 */
export function postWebhook(agents: Agents, request: WebhookRequest): Promise<WebhookResult> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve({ kind: 'failure', message: `Invalid URL: ${request.url}` });
  }
  const isHttps = url.protocol === 'https:';
  if (!isHttps && url.protocol !== 'http:') {
    return Promise.resolve({ kind: 'failure', message: `Unsupported URL scheme: ${url.protocol}` });
  }
  const headers: Record<string, string> = {};
  for (const header of [...defaultHeaders(), ...request.headers])
    headers[header.name] = header.value;
  headers['Content-Length'] = String(Buffer.byteLength(request.body));

  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: WebhookResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const send = isHttps ? https.request : http.request;
    const outgoing = send(url, {
      method: 'POST',
      headers,
      agent: isHttps ? agents.https : agents.http,
    });
    const timer = setTimeout(() => {
      finish({ kind: 'failure', message: 'Response timeout' });
      outgoing.destroy();
    }, request.timeoutMs);
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', (error) => finish({ kind: 'failure', message: error.message }));
      incoming.on('end', () => {
        const responseHeaders: { name: string; value: string }[] = [];
        for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
          responseHeaders.push({
            name: incoming.rawHeaders[i] ?? '',
            value: incoming.rawHeaders[i + 1] ?? '',
          });
        }
        finish({
          kind: 'response',
          status: incoming.statusCode ?? 0,
          headers: responseHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    outgoing.on('error', (error) => finish({ kind: 'failure', message: error.message }));
    outgoing.end(request.body);
  });
}

/** Seconds of a `Retry-After` header holding a positive whole number, as Hasura reads it. */
export function retryAfterSeconds(result: WebhookResult): number | undefined {
  if (result.kind !== 'response') return undefined;
  const header = result.headers.find((item) => item.name.toLowerCase() === 'retry-after');
  if (header === undefined || !/^\s*\d+\s*$/.test(header.value)) return undefined;
  const seconds = Number(header.value);
  return seconds > 0 ? seconds : undefined;
}

export function isSuccess(result: WebhookResult): boolean {
  return result.kind === 'response' && result.status >= 200 && result.status < 300;
}

/**
 * The `request` and `response` columns of an invocation log, in Hasura's shapes: a 2xx reply
 * is a `webhook_response`, anything else a `client_error` carrying the body or the failure.
 */
export function invocationRecord(
  payload: unknown,
  loggedHeaders: LoggedHeader[],
  result: WebhookResult,
  version: '1' | '2',
): { status: number | null; request: unknown; response: unknown } {
  const request = { payload, headers: [...defaultHeaders(), ...loggedHeaders], version };
  if (result.kind === 'failure') {
    const message = JSON.stringify({ type: 'http_exception', message: result.message });
    return {
      status: null,
      request,
      response: { type: 'client_error', data: { message }, version },
    };
  }
  if (!isSuccess(result)) {
    const response = { type: 'client_error', data: { message: result.body }, version };
    return { status: result.status, request, response };
  }
  const data = { body: result.body, headers: result.headers, status: result.status };
  return { status: result.status, request, response: { type: 'webhook_response', data, version } };
}
