import { isObject } from './json-shape.js';

/** A request as upstream's `anyq` sends it. */
export interface OutgoingRequest {
  url: string;
  method?: string;
  headers: Record<string, string>;
  query: unknown;
  body?: unknown;
}

/** A reply with its body parsed as JSON where it is JSON, else kept as text. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const REQUEST_TIMEOUT_MS = 60_000;

/**
 * Sends one request to `baseUrl` the way upstream's test client does. `GET` and `DELETE` send
 * no body. `POSTJSON` sends `body` as JSON, and `POST`, `PUT` and `PATCH` send it form-encoded.
 * Anything else, or one of those without a body, POSTs `query` as JSON.
 */
export async function sendRequest(baseUrl: string, request: OutgoingRequest): Promise<Reply> {
  const init = buildInit(request);
  const response = await fetch(new URL(request.url, baseUrl), {
    ...init,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, headers, body: parseBody(text) };
}

function buildInit(request: OutgoingRequest): RequestInit {
  const method = request.method?.toUpperCase();
  const headers = { ...request.headers };
  const hasBody = request.body !== undefined && request.body !== null;
  if (method === 'GET' || method === 'DELETE') {
    return { method, headers };
  }
  if (method === 'POSTJSON' && hasBody) {
    return { method: 'POST', headers: withJson(headers), body: JSON.stringify(request.body) };
  }
  if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && hasBody) {
    return { method, headers, body: formEncode(request.body) };
  }
  return { method: 'POST', headers: withJson(headers), body: JSON.stringify(request.query) };
}

function withJson(headers: Record<string, string>): Record<string, string> {
  const named = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  return named ? headers : { ...headers, 'Content-Type': 'application/json' };
}

function formEncode(body: unknown): URLSearchParams {
  const form = new URLSearchParams();
  if (isObject(body)) {
    for (const [key, value] of Object.entries(body)) {
      form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  return form;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
