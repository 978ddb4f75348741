import type { Express, RequestHandler } from 'express';
import { createExchangeApiKeyHandler } from '../apikeys/exchange.js';
import {
  createCreateApiKeyHandler,
  createListApiKeysHandler,
  createRevokeApiKeyHandler,
} from '../apikeys/manage.js';
import type { ActionsDependencies } from '../app.js';
import type { ActionsConfig } from '../config.js';
import { createChangePasswordHandler } from './change-password.js';
import { createAcceptInviteHandler, createInviteUserHandler } from './invite.js';
import { createLogoutHandler } from './logout.js';
import { createRequestResetHandler, createResetPasswordHandler } from './password-reset.js';
import { createRefreshHandler } from './refresh.js';
import { createMySessionsHandler, createRevokeSessionHandler } from './sessions-list.js';

/**
 * Mounts the token, session, password and API key actions. `action` is the middleware chain
 * every action route starts with: the action secret check, then the JSON body parser.
 */
export function registerAuthRoutes(
  app: Express,
  action: RequestHandler[],
  config: ActionsConfig,
  deps: ActionsDependencies,
): void {
  const all = { config, ...deps };
  app.post('/refresh-token', ...action, createRefreshHandler(all));
  app.post('/logout', ...action, createLogoutHandler(all));
  app.post('/my-sessions', ...action, createMySessionsHandler(all));
  app.post('/revoke-session', ...action, createRevokeSessionHandler(all));
  app.post('/change-password', ...action, createChangePasswordHandler(all));
  app.post('/request-password-reset', ...action, createRequestResetHandler(all));
  app.post('/reset-password', ...action, createResetPasswordHandler(all));
  app.post('/invite-user', ...action, createInviteUserHandler(all));
  app.post('/accept-invite', ...action, createAcceptInviteHandler(all));
  app.post('/create-api-key', ...action, createCreateApiKeyHandler(all));
  app.post('/list-api-keys', ...action, createListApiKeysHandler(all));
  app.post('/revoke-api-key', ...action, createRevokeApiKeyHandler(all));
  app.post('/exchange-api-key', ...action, createExchangeApiKeyHandler(all));
}
