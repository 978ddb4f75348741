import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { createPasswordHasher } from './auth/password.js';
import type { ActionsConfig } from './config.js';
import { createPool } from './database/pool.js';
import { createLogger } from './logging.js';
import { createMailer } from './mail/mailer.js';
import { type PluginRuntime, startPluginRuntime } from './plugins/runtime.js';
import { createMemoryStore } from './store/memory-store.js';
import { createRedisStore } from './store/redis-store.js';
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
  const { auth } = config;
  const store =
    auth.redisUrl === undefined
      ? createMemoryStore()
      : createRedisStore(auth.redisUrl, auth.redisKeyPrefix, logger);
  const mailer = createMailer(auth.smtpUrl, auth.mailFrom, logger);
  let pluginRuntime: PluginRuntime;
  try {
    pluginRuntime = await startPluginRuntime(config, { pool, logger, signingKey });
  } catch (error) {
    await Promise.all([pool.end(), store.close(), mailer.close()]);
    throw error;
  }
  const deps = { pool, logger, passwords, signingKey, store, mailer, pluginRuntime };
  const server = createServer(createApp(config, deps));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await pluginRuntime.worker.stop();
    await Promise.all([pool.end(), store.close(), mailer.close()]);
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
      await pluginRuntime.worker.stop();
      await Promise.all([pool.end(), store.close(), mailer.close()]);
      logger.info({ url }, 'action server stopped');
    })();
    return closing;
  };
  return { url, port, close };
}
