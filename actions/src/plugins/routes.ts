import express, { type Express, type RequestHandler } from 'express';
import { createConfigurePluginHandler, createTogglePluginHandler } from './configure.js';
import { createListPluginDeliveriesHandler, createReplayDeliveryHandler } from './deliveries.js';
import { createEventReceiver } from './event-receiver.js';
import { createInstallPluginHandler } from './install.js';
import type { PluginDependencies } from './installations.js';
import { createUninstallPluginHandler } from './uninstall.js';
import { createUpgradePluginHandler } from './upgrade.js';

/** Largest event payload accepted; tenant rows carry their configuration object. */
const eventBodyLimit = '1mb';

/**
 * Mounts the plugin actions behind `guards` (action secret, then the JSON body parser) and
 * the event receiver, which checks the same secret but parses larger bodies.
 */
export function mountPluginRoutes(
  app: Express,
  guards: RequestHandler[],
  deps: PluginDependencies,
): void {
  const [secretCheck] = guards;
  if (secretCheck === undefined) throw new TypeError('mountPluginRoutes needs the secret check.');
  app.post(
    '/events',
    secretCheck,
    express.json({ limit: eventBodyLimit }),
    createEventReceiver(deps),
  );

  app.post('/installPlugin', ...guards, createInstallPluginHandler(deps));
  app.post('/upgradePlugin', ...guards, createUpgradePluginHandler(deps));
  app.post('/configurePlugin', ...guards, createConfigurePluginHandler(deps));
  app.post('/enablePlugin', ...guards, createTogglePluginHandler(deps, true));
  app.post('/disablePlugin', ...guards, createTogglePluginHandler(deps, false));
  app.post('/uninstallPlugin', ...guards, createUninstallPluginHandler(deps));
  app.post('/listPluginDeliveries', ...guards, createListPluginDeliveriesHandler(deps));
  app.post('/replayDelivery', ...guards, createReplayDeliveryHandler(deps));
}
