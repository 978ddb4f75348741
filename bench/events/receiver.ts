import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The benchmark's webhook on 127.0.0.1: acknowledges every POST at once with 200 and records,
 * per row number, when its first delivery arrived and how many deliveries came.
 */
export class BenchReceiver {
  readonly firstArrival = new Map<number, number>();
  deliveries = 0;
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const now = performance.now();
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          event: { data: { new: { n: number } | null } };
        };
        const n = body.event.data.new?.n;
        if (n !== undefined) {
          this.deliveries += 1;
          if (!this.firstArrival.has(n)) this.firstArrival.set(n, now);
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops listening, so deliveries fail with a refused connection until `start` again. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  reset(): void {
    this.firstArrival.clear();
    this.deliveries = 0;
  }

  /** Waits until rows `from`..`to` have all arrived, or `timeoutMs` passed; returns whether they did. */
  async waitForRange(from: number, to: number, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      let missing = false;
      for (let n = from; n <= to; n += 1) {
        if (!this.firstArrival.has(n)) {
          missing = true;
          break;
        }
      }
      if (!missing) return true;
      if (performance.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
