import { resolve } from 'node:path';
import { createServer } from 'vite';

/** Starts the console's Vite dev server, pointed at the given GraphQL endpoint. */
export async function startConsole(options: { host: string; port: number; graphqlUrl: string }) {
  process.env.VITE_GRAPHQL_URL = options.graphqlUrl;
  const server = await createServer({
    root: resolve(import.meta.dirname, '../../web'),
    configFile: resolve(import.meta.dirname, '../../web/vite.config.ts'),
    server: { host: options.host, port: options.port, strictPort: true },
    logLevel: 'warn',
  });
  await server.listen();
  const address = server.resolvedUrls?.local[0] ?? `http://${options.host}:${options.port}/`;
  return { url: address.replace(/\/$/, ''), close: () => server.close() };
}
