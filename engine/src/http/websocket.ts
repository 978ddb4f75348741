import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { type WebSocket, WebSocketServer } from 'ws';
import { toEngineError } from '../errors.js';
import { executeGraphql, peerAddress } from '../execute/graphql-request.js';
import type { GraphqlRequest } from '../execute/prepare.js';
import type { Session } from '../execute/session.js';
import { isRecord } from '../util/json.js';
import type { App } from './app.js';
import { type Protocol, protocolFor } from './ws-protocol.js';

/** Interval at which live queries run again, Hasura's default refetch interval. */
const refetchMs = 1000;
/** Interval of keep-alive messages on the legacy protocol. */
const keepAliveMs = 5000;
/** Maximum delay of `setTimeout` in ms. Later expiry times are reached in steps of this. */
const maxTimerMs = 2 ** 31 - 1;

function isSubscription(app: App, request: GraphqlRequest): boolean {
  try {
    const document = app.state.plans.document(request.query);
    const operations = document.definitions.filter(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION,
    );
    const operation =
      request.operationName === undefined || request.operationName === null
        ? operations[0]
        : operations.find((item) => item.name?.value === request.operationName);
    return operation?.operation === 'subscription';
  } catch {
    return false;
  }
}

/** Headers from `connection_init`: its `headers` member, or the payload itself. */
function initHeaders(payload: unknown, upgrade: IncomingHttpHeaders): IncomingHttpHeaders {
  const source =
    isRecord(payload) && isRecord(payload.headers)
      ? payload.headers
      : isRecord(payload)
        ? payload
        : {};
  const headers: IncomingHttpHeaders = { ...upgrade };
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** One websocket connection: its session and the operations it runs. */
class Connection {
  private session: Session | undefined;
  private headers: IncomingHttpHeaders;
  private readonly clientAddress: string | undefined;
  /** Running subscriptions by operation id, with the timer of their next run once scheduled. */
  private readonly active = new Map<string, NodeJS.Timeout | undefined>();
  private keepAlive: NodeJS.Timeout | undefined;
  /** Fires when the session's JWT expires, which ends the connection as Hasura does. */
  private expiry: NodeJS.Timeout | undefined;
  /** Aborts when the socket closes, which cancels the statements still running for it. */
  private readonly closed = new AbortController();

  constructor(
    private readonly app: App,
    private readonly socket: WebSocket,
    private readonly protocol: Protocol,
    upgrade: IncomingMessage,
  ) {
    this.headers = upgrade.headers;
    this.clientAddress = peerAddress(upgrade.socket);
    socket.on('message', (data) => this.receive(String(data)));
    socket.on('close', () => {
      this.closed.abort();
      this.stopAll();
    });
  }

  private send(message: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private async receive(text: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.socket.close(4400, 'Invalid message');
      return;
    }
    if (!isRecord(message) || typeof message.type !== 'string') {
      this.socket.close(4400, 'Invalid message');
      return;
    }
    const kind = this.protocol.read(message.type);
    const id = typeof message.id === 'string' ? message.id : '';
    if (kind === 'init') await this.init(message.payload);
    else if (kind === 'ping') this.send({ type: 'pong' });
    else if (kind === 'start') await this.start(id, message.payload);
    else if (kind === 'stop') this.stop(id, true);
    else if (kind === 'terminate') this.socket.close(1000);
  }

  private async init(payload: unknown): Promise<void> {
    this.headers = initHeaders(payload, this.headers);
    try {
      this.session = await this.app.authenticate(this.headers);
    } catch (error) {
      const engineError = toEngineError(error);
      this.app.state.log({
        level: 'warn',
        type: 'websocket-auth',
        code: engineError.code,
        message: engineError.message,
      });
      this.protocol.rejectInit(this.socket, engineError.message);
      return;
    }
    this.scheduleExpiry();
    this.send({ type: 'connection_ack' });
    if (this.protocol.keepAlive) {
      this.send({ type: 'ka' });
      this.keepAlive = setInterval(() => this.send({ type: 'ka' }), keepAliveMs);
    }
  }

  private async start(id: string, payload: unknown): Promise<void> {
    const session = this.session;
    if (session === undefined) {
      this.socket.close(4401, 'Unauthorized');
      return;
    }
    if (this.expireIfDue()) return;
    if (!isRecord(payload) || typeof payload.query !== 'string') {
      this.send(
        this.protocol.error(id, [
          {
            message: 'the payload must contain a "query"',
            extensions: { code: 'parse-failed', path: '$' },
          },
        ]),
      );
      return;
    }
    const request = payload as unknown as GraphqlRequest;
    const run = () =>
      executeGraphql(this.app.state, session, request, this.headers, {
        clientAddress: this.clientAddress,
        signal: this.closed.signal,
      });
    if (!isSubscription(this.app, request)) {
      this.deliver(id, await run());
      this.send({ type: 'complete', id });
      return;
    }
    let last: string | undefined;
    const poll = async () => {
      if (this.expireIfDue()) return;
      const result = await run();
      if (!this.active.has(id)) return;
      if (result !== last) {
        last = result;
        if (!this.deliver(id, result)) this.stop(id, false);
      }
      if (this.active.has(id)) this.active.set(id, setTimeout(poll, refetchMs));
    };
    this.active.set(id, undefined);
    await poll();
  }

  /** Sends a result; returns false when it was an error that ends the operation. */
  private deliver(id: string, result: string): boolean {
    const body = JSON.parse(result) as { data?: unknown; errors?: unknown[] };
    if (body.data === undefined && body.errors !== undefined) {
      this.send(this.protocol.error(id, body.errors));
      return false;
    }
    this.send({ type: this.protocol.dataType, id, payload: body });
    return true;
  }

  private stop(id: string, acknowledge: boolean): void {
    const timer = this.active.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.active.delete(id);
    if (acknowledge && this.protocol.keepAlive) this.send({ type: 'complete', id });
  }

  private scheduleExpiry(): void {
    if (this.expiry !== undefined) clearTimeout(this.expiry);
    this.expiry = undefined;
    const expiresAt = this.session?.expiresAt;
    if (expiresAt === undefined) return;
    const delay = Math.min(Math.max(expiresAt - Date.now(), 0), maxTimerMs);
    this.expiry = setTimeout(() => {
      if (!this.expireIfDue()) this.scheduleExpiry();
    }, delay);
  }

  /** Ends the connection when its JWT has expired and returns whether it did. */
  private expireIfDue(): boolean {
    const expiresAt = this.session?.expiresAt;
    if (expiresAt === undefined || Date.now() < expiresAt) return false;
    this.app.state.log({
      level: 'info',
      type: 'websocket-jwt-expired',
      role: this.session?.role,
      expired_at: new Date(expiresAt).toISOString(),
    });
    this.session = undefined;
    this.stopAll();
    this.closed.abort();
    this.protocol.closeExpired(this.socket);
    return true;
  }

  private stopAll(): void {
    for (const timer of this.active.values()) if (timer !== undefined) clearTimeout(timer);
    this.active.clear();
    if (this.keepAlive !== undefined) clearInterval(this.keepAlive);
    if (this.expiry !== undefined) clearTimeout(this.expiry);
  }
}

/**
 * Serves GraphQL over websockets on `/v1/graphql`, speaking both `graphql-transport-ws` and
 * the legacy `graphql-ws` protocol. Subscriptions run as live queries that send a new result
 * whenever it changes.
 */
export function attachWebsocket(server: Server, app: App): () => void {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => {
      if (protocols.has('graphql-transport-ws')) return 'graphql-transport-ws';
      if (protocols.has('graphql-ws')) return 'graphql-ws';
      return false;
    },
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/v1/graphql') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      new Connection(app, ws, protocolFor(ws.protocol), request);
    });
  });
  return () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}
