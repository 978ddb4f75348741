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
}

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
};

/** Picks the protocol the client and server agreed on; no choice means the legacy one. */
export function protocolFor(name: string): Protocol {
  return name === 'graphql-transport-ws' ? transportWs : legacyWs;
}
