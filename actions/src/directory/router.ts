import { type RequestHandler, Router } from 'express';
import { createSetDirectorySettingsHandler, createTestLdapConnectionHandler } from './admin.js';
import type { DirectoryDependencies } from './dependencies.js';
import { createLoginLdapHandler } from './login-ldap.js';

/**
 * Routes of the directory actions, each behind `guards` (the action secret and the JSON
 * body parser), at the kebab-case path of the action name that actions.yaml points at.
 */
export function createDirectoryRouter(
  deps: DirectoryDependencies,
  guards: RequestHandler[],
): Router {
  const router = Router();
  router.post('/login-ldap', ...guards, createLoginLdapHandler(deps));
  router.post('/set-directory-settings', ...guards, createSetDirectorySettingsHandler(deps));
  router.post('/test-ldap-connection', ...guards, createTestLdapConnectionHandler(deps));
  return router;
}
