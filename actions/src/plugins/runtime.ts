import type pg from 'pg';
import type { Logger } from 'pino';
import type { ActionsConfig } from '../config.js';
import type { SigningKey } from '../tokens/keys.js';
import { registerCatalog } from './catalog.js';
import { type DeliveryWorker, startDeliveryWorker } from './delivery-worker.js';
import { builtInPluginsDir, discoverPlugins } from './discovery.js';
import { createInstallationSecrets, type InstallationSecrets } from './secrets.js';

/** The parts of the plugin system that live as long as the action server. */
export interface PluginRuntime {
  secrets: InstallationSecrets;
  worker: DeliveryWorker;
}

/**
 * Registers the manifests of plugins/ and of ACCI_PLUGINS_DIR into the catalog, then starts
 * the delivery worker.
 */
export async function startPluginRuntime(
  config: ActionsConfig,
  services: { pool: pg.Pool; logger: Logger; signingKey: SigningKey },
): Promise<PluginRuntime> {
  const { plugins } = config;
  const folders = [
    ...(plugins.discoverBuiltIn ? [builtInPluginsDir] : []),
    ...(plugins.pluginsDir === undefined ? [] : [plugins.pluginsDir]),
  ];
  const discovered = await discoverPlugins(folders, services.logger);
  await registerCatalog(services.pool, discovered, plugins.webhookEnvironment, services.logger);

  const secrets = createInstallationSecrets(config.encryptionKeys);
  const worker = startDeliveryWorker({
    pool: services.pool,
    logger: services.logger,
    plugins,
    signingKey: services.signingKey,
    jwt: { issuer: config.jwt.issuer, audience: config.jwt.audience },
    secrets,
  });
  return { secrets, worker };
}
