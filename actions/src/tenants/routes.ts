import type { Express, RequestHandler } from 'express';
import { createUpdateTenantConfigurationHandler } from './configuration.js';
import { createCreateTenantHandler } from './create-tenant.js';
import type { TenantDependencies } from './dependencies.js';
import { createExportTenantHandler } from './export.js';
import { createTenantFeaturesHandler } from './features-handler.js';
import {
  createScheduleTenantDeletionHandler,
  createSetTenantStatusHandler,
  purgeDeletedTenants,
} from './lifecycle.js';
import { createSignUpTenantHandler } from './sign-up.js';

/**
 * Mounts the tenant actions, each behind `guards` (action secret and JSON body), and the
 * purge endpoint for a cron trigger, which Hasura calls with the same secret header.
 */
export function mountTenantRoutes(
  app: Express,
  guards: RequestHandler[],
  deps: TenantDependencies,
): void {
  app.post('/create-tenant', ...guards, createCreateTenantHandler(deps));
  app.post('/sign-up-tenant', ...guards, createSignUpTenantHandler(deps));
  app.post('/set-tenant-status', ...guards, createSetTenantStatusHandler(deps));
  app.post('/schedule-tenant-deletion', ...guards, createScheduleTenantDeletionHandler(deps));
  app.post('/export-tenant', ...guards, createExportTenantHandler(deps));
  app.post('/tenant-features', ...guards, createTenantFeaturesHandler(deps));
  app.post('/update-tenant-configuration', ...guards, createUpdateTenantConfigurationHandler(deps));
  app.post('/cron/purge-deleted-tenants', ...guards, async (_request, response) => {
    const purged = await purgeDeletedTenants(deps.pool);
    if (purged.length > 0) response.locals.context.logger.info({ purged }, 'tenants purged');
    response.json({ purged });
  });
}
