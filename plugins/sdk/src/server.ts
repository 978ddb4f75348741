import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPluginContext, type PluginContext } from './context.js';
import type { DeliveryPayload, HookName, Row } from './events.js';
import type { RowOfHook } from './rows.js';
import { verifySignature } from './signature.js';

/** One change as a hook handler receives it. */
export interface PluginEvent<TRow extends Row = Row> {
  /** Message id (`webhook-id`), the same on every retry and replay: use it to deduplicate. */
  deliveryId: string;
  hook: HookName;
  table: string;
  operation: 'insert' | 'update' | 'delete';
  old: TRow | null;
  new: TRow | null;
  /** Session variables of the request that made the change, or null (for example in SQL). */
  sessionVariables: Record<string, string> | null;
  /** Id of the Hasura event. */
  eventId: string;
  createdAt: string;
  /** The whole body as received. */
  payload: DeliveryPayload<TRow>;
}

export type HookHandler<TRow extends Row = Row> = (
  event: PluginEvent<TRow>,
  context: PluginContext,
) => Promise<void> | void;

/** Handlers by hook name; each receives the rows of its table. */
export type HookHandlers = { [H in HookName]?: HookHandler<RowOfHook<H>> };

export interface PluginServerOptions {
  hooks: HookHandlers;
  /**
   * Signing secret shown by `installPlugin`, or a lookup by installation id for a plugin
   * server that serves several installations. Returning undefined rejects the delivery.
   */
  secret: string | ((installationId: string) => string | undefined | Promise<string | undefined>);
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0, a free port. */
  port?: number;
  /** GraphQL endpoint for `context.graphql`, used when the delivery names none. */
  graphqlUrl?: string;
  /** Called with every failure. A failed handler also gets a 500 response, so the platform retries. */
  onError?: (error: unknown, event?: PluginEvent) => void;
}

export interface PluginServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Largest accepted request body, in bytes. */
const maxBodyBytes = 1024 * 1024;

/**
 * Starts an HTTP server that verifies each delivery's signature and runs the handler of its
 * hook. It responds 401 for a bad signature, 400 for a body that is no delivery, 204 for a hook
 * without handler, 200 once the handler returned and 500 when it threw.
 */
export async function createPluginServer(options: PluginServerOptions): Promise<PluginServer> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      if (!response.headersSent) reply(response, 500, { error: 'internal error' });
      options.onError?.(error);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

function reply(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function secretFor(options: PluginServerOptions, installationId: string | undefined) {
  if (typeof options.secret === 'string') return options.secret;
  if (installationId === undefined) return undefined;
  return options.secret(installationId);
}

async function handle(
  options: PluginServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'POST') return reply(response, 405, { error: 'use POST' });

  const body = await readBody(request);
  if (body === undefined) return reply(response, 413, { error: 'body exceeds 1 MiB' });

  const installation = request.headers['x-acci-installation-id'];
  const secret = await secretFor(
    options,
    typeof installation === 'string' ? installation : undefined,
  );
  const check = secret === undefined ? undefined : verifySignature(secret, request.headers, body);
  if (check === undefined || !check.valid) {
    return reply(response, 401, { error: check?.reason ?? 'unknown installation' });
  }

  const event = toEvent(check.id, body);
  if (event === undefined) return reply(response, 400, { error: 'not an ACCI delivery' });

  const handler = options.hooks[event.hook] as HookHandler | undefined;
  if (handler === undefined) return reply(response, 204);

  try {
    await handler(event, createPluginContext(event.payload.acci, options.graphqlUrl));
  } catch (error) {
    options.onError?.(error, event);
    return reply(response, 500, { error: 'hook handler failed' });
  }
  reply(response, 200, { ok: true });
}

function toEvent(deliveryId: string, body: Buffer): PluginEvent | undefined {
  let payload: DeliveryPayload;
  try {
    payload = JSON.parse(body.toString('utf8')) as DeliveryPayload;
  } catch {
    return undefined;
  }
  if (typeof payload?.acci?.hook !== 'string' || typeof payload.event?.data !== 'object') {
    return undefined;
  }
  const [table = '', operation] = payload.acci.hook.split('.');
  return {
    deliveryId,
    hook: payload.acci.hook,
    table,
    operation: operation as PluginEvent['operation'],
    old: payload.event.data.old,
    new: payload.event.data.new,
    sessionVariables: payload.event.session_variables,
    eventId: payload.id,
    createdAt: payload.created_at,
    payload,
  };
}
