import express, { type Express } from 'express';
import type pg from 'pg';
import type { Logger } from 'pino';
import { createLoginHandler } from './auth/login.js';
import type { PasswordHasher } from './auth/password.js';
import { registerAuthRoutes } from './auth/routes.js';
import type { ActionsConfig } from './config.js';
import { createDirectoryRouter } from './directory/router.js';
import { requireActionSecret } from './http/action-secret.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { healthHandler } from './http/health.js';
import { jsonBody } from './http/json-body.js';
import { jwksHandler } from './http/jwks.js';
import { requestLogging } from './http/request-context.js';
import type { Mailer } from './mail/mailer.js';
import { createMfaRouter } from './mfa/router.js';
import { mountPluginRoutes } from './plugins/routes.js';
import type { PluginRuntime } from './plugins/runtime.js';
import type { KeyValueStore } from './store/store.js';
import { mountTenantRoutes } from './tenants/routes.js';
import type { SigningKey } from './tokens/keys.js';

/** Services the app uses; `startActionServer` builds them from the config. */
export interface ActionsDependencies {
  pool: pg.Pool;
  logger: Logger;
  passwords: PasswordHasher;
  signingKey: SigningKey;
  /** Rate-limit and lockout counters, in Redis or in the process. */
  store: KeyValueStore;
  mailer: Mailer;
  /** Delivery worker and secrets of the plugin system. */
  pluginRuntime: PluginRuntime;
}

/**
 * Builds the express app. Health and JWKS are public. Action routes require the action
 * secret before their body is parsed, so a caller without it learns nothing from the errors.
 */
export function createApp(config: ActionsConfig, deps: ActionsDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogging(deps.logger));

  app.get('/healthz', healthHandler(deps.pool));
  app.get('/.well-known/jwks.json', jwksHandler(deps.signingKey));

  const action = [requireActionSecret(config.actionSecret), jsonBody()];
  app.post('/login', ...action, createLoginHandler({ config, ...deps }));
  app.use(createMfaRouter({ config, ...deps }, action));
  app.use(createDirectoryRouter({ config, ...deps }, action));
  registerAuthRoutes(app, action, config, deps);
  mountTenantRoutes(app, action, { config, ...deps });
  mountPluginRoutes(app, action, {
    config,
    plugins: config.plugins,
    pool: deps.pool,
    logger: deps.logger,
    secrets: deps.pluginRuntime.secrets,
    wakeWorker: () => deps.pluginRuntime.worker.wake(),
  });

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
