import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { createPasswordHasher } from './auth/password.js';
import type { ActionsConfig } from './config.js';
import { createPool } from './database/pool.js';
import { createLogger } from './logging.js';
import { createSigningKey } from './tokens/keys.js';

/** A listening action server. */
export interface ActionServer {
  /** Base URL, for example http://127.0.0.1:3000, without a trailing slash. */
  url: string;
  port: number;
  /** Stops accepting connections, waits for open requests, then closes the database pool. */
  close(): Promise<void>;
}

export interface ActionServerOptions {
  /** Logger to use in place of a new pino logger on stdout at `config.logLevel`. */
  logger?: Logger;
}

/**
 * Starts the action server on `config.host` and `config.port` (0 picks a free port). Computes
 * the dummy password hash and the key id before listening, so the first request pays neither.
 */
export async function startActionServer(
  config: ActionsConfig,
  options: ActionServerOptions = {},
): Promise<ActionServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const signingKey = await createSigningKey(config.jwt.privateKey);
  const passwords = await createPasswordHasher(config.passwordHashing);
  const pool = createPool(config.databaseUrl, logger);
  const server = createServer(createApp(config, { pool, logger, passwords, signingKey }));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await pool.end();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, kid: signingKey.kid }, 'action server listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      });
      await pool.end();
      logger.info({ url }, 'action server stopped');
    })();
    return closing;
  };
  return { url, port, close };
}
