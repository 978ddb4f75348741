import type { AddressInfo } from 'node:net';
import { createAuthenticator } from './auth/authenticate.js';
import type { EngineConfig } from './config/env.js';
import { EventSystem } from './events/system.js';
import { createHttpServer } from './http/server.js';
import { attachWebsocket } from './http/websocket.js';
import { ensureCatalog, readStoredMetadata, storeMetadata } from './metadata/catalog-store.js';
import { loadMetadataDir } from './metadata/load-dir.js';
import { EngineState } from './state.js';

export interface RunningEngine {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Receives one structured entry per log line; silent when left out. */
  log?: (entry: object) => void;
}

/**
 * Starts the engine: creates the catalog when missing, loads `metadataDir` into it when set
 * (otherwise serves the stored metadata) and listens for HTTP. Port 0 picks a free port.
 */
export async function startEngine(
  config: EngineConfig,
  options: StartOptions = {},
): Promise<RunningEngine> {
  const sink = options.log ?? (() => undefined);
  const log = (entry: Record<string, unknown>) =>
    sink({ timestamp: new Date().toISOString(), ...entry });
  const state = EngineState.create(config, log);
  const events = new EventSystem(state);
  state.onActivate = (previous) => events.onActivate(previous);
  try {
    await ensureCatalog(state.pool);
    if (config.metadataDir !== undefined) {
      const metadata = loadMetadataDir(config.metadataDir);
      const version = await storeMetadata(state.pool, metadata);
      await state.activate(metadata, version);
      log({
        level: 'info',
        type: 'metadata-loaded',
        dir: config.metadataDir,
        resource_version: version,
      });
    } else {
      const stored = await readStoredMetadata(state.pool);
      await state.activate(stored.metadata, stored.resourceVersion);
    }
  } catch (error) {
    await state.pool.end();
    throw error;
  }
  const authenticate = await createAuthenticator(config, log);
  const app = { state, authenticate };
  const server = createHttpServer(app);
  const closeSockets = attachWebsocket(server, app);
  const host = config.host === '*' ? undefined : config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === undefined ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${address.port}`;
  await events.start();
  log({ level: 'info', type: 'startup', url, port: address.port });
  return {
    url,
    port: address.port,
    close: async () => {
      closeSockets();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await events.stop();
      await state.pool.end();
      log({ level: 'info', type: 'shutdown' });
    },
  };
}
