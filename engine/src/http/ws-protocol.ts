import type { WebSocket } from 'ws';

/** What a client message asks for, in either protocol. */
export type MessageKind = 'init' | 'ping' | 'start' | 'stop' | 'terminate' | 'unknown';

/** The differences between `graphql-transport-ws` and the legacy `graphql-ws` protocol. */
export interface Protocol {
  read(type: string): MessageKind;
  /** Type of the message that carries a result: `next` or `data`. */
  dataType: string;
  /** The legacy protocol sends `ka` keep-alives and acknowledges `stop` with `complete`. */
  keepAlive: boolean;
  error(id: string, errors: unknown[]): object;
  rejectInit(socket: WebSocket, message: string): void;
  /** Ends a connection whose JWT has expired. */
  closeExpired(socket: WebSocket): void;
}

/**
 * Payload of the `connection_error` that users of Hasura v2.25 to v2.29 report receiving when
 * the JWT expires. Later versions may differ.
 */
const jwtExpiredMessage = 'Could not verify JWT: JWTExpired';

const transportWs: Protocol = {
  read: (type) =>
    (
      ({ connection_init: 'init', ping: 'ping', subscribe: 'start', complete: 'stop' }) as Record<
        string,
        MessageKind
      >
    )[type] ?? 'unknown',
  dataType: 'next',
  keepAlive: false,
  error: (id, errors) => ({ type: 'error', id, payload: errors }),
  rejectInit: (socket) => socket.close(4403, 'Forbidden'),
  // NOTE: the graphql-transport-ws protocol defines 4401 Unauthorized, and Hasura v2 has that
  // close code. That Hasura uses it for an expired JWT is inferred, not read from its source.
  closeExpired: (socket) => socket.close(4401, 'Unauthorized'),
};

const legacyWs: Protocol = {
  read: (type) =>
    (
      ({
        connection_init: 'init',
        start: 'start',
        stop: 'stop',
        connection_terminate: 'terminate',
      }) as Record<string, MessageKind>
    )[type] ?? 'unknown',
  dataType: 'data',
  keepAlive: true,
  error: (id, errors) => ({ type: 'data', id, payload: { errors } }),
  rejectInit: (socket, message) => {
    socket.send(JSON.stringify({ type: 'connection_error', payload: message }));
    socket.close(1000);
  },
  closeExpired: (socket) => {
    socket.send(JSON.stringify({ type: 'connection_error', payload: jwtExpiredMessage }));
    socket.close(1000);
  },
};

/** Picks the protocol the client and server agreed on; no choice means the legacy one. */
export function protocolFor(name: string): Protocol {
  return name === 'graphql-transport-ws' ? transportWs : legacyWs;
}
