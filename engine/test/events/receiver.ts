import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: EventBody;
  status: number;
  at: number;
}

/** The parts of Hasura's event payload the tests read. */
export interface EventBody {
  id: string;
  table: { schema: string; name: string };
  trigger: { name: string };
  event: {
    op: string;
    data: { old: Record<string, unknown> | null; new: Record<string, unknown> | null };
    session_variables: Record<string, string> | null;
    trace_context: unknown;
  };
  delivery_info: { max_retries: number; current_retry: number };
  created_at: string;
  [key: string]: unknown;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Waits until `count` POSTs to paths starting with `path` arrived, and returns them. */
  waitFor(count: number, options?: { path?: string; timeoutMs?: number }): Promise<Received[]>;
  /** Stops the server, so new connections are refused until `resume`. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  delayMs: number;
  headers?: Record<string, string>;
}

function answer(path: string, firstTry: boolean): Answer {
  if (path.startsWith('/fail')) return { status: 500, delayMs: 0 };
  if (path.startsWith('/sleep_2s')) return { status: 200, delayMs: 2000 };
  if (path.startsWith('/retry-after-once') && firstTry) {
    return { status: 503, delayMs: 0, headers: { 'retry-after': '1' } };
  }
  return { status: 200, delayMs: 0 };
}

/**
 * Starts an HTTP server on 127.0.0.1 that records every POST: `/fail` returns 500,
 * `/sleep_2s` returns 200 after two seconds, `/retry-after-once` returns 503 with
 * `Retry-After: 1` to the first POST of each event, and any other path returns 200 at once.
 */
export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  let boundPort = port;
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as EventBody;
      const firstTry = !received.some((item) => item.body.id === body.id);
      const { status, delayMs, headers = {} } = answer(path, firstTry);
      const reply = () => {
        received.push({ path, headers: request.headers, body, status, at: Date.now() });
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify({ ok: status === 200 }));
      };
      if (delayMs > 0) setTimeout(reply, delayMs);
      else reply();
    });
  };
  let server: Server = createServer(handler);
  const listen = async () => {
    await new Promise<void>((resolve) => server.listen(boundPort, '127.0.0.1', resolve));
    boundPort = (server.address() as AddressInfo).port;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen();
  return {
    url: `http://127.0.0.1:${boundPort}`,
    received,
    async waitFor(count, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 20000);
      const matching = () => received.filter((item) => item.path.startsWith(options.path ?? '/'));
      while (matching().length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `Received ${matching().length} of ${count} POSTs to ${options.path ?? '/'}.`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return matching();
    },
    pause: stop,
    async resume() {
      server = createServer(handler);
      await listen();
    },
    close: stop,
  };
}
