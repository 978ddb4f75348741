import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload } from '../http/action-payload.js';
import { findCatalogEntry } from './catalog.js';
import { installedPlugins, lockTenantPlugins, unmetDependencies } from './dependencies.js';
import {
  auditInstallation,
  checkedConfig,
  installationOutput,
  loadInstallation,
  type PluginDependencies,
  pluginCaller,
  pluginVersionInputSchema,
  versionSuffix,
} from './installations.js';

/** Input of `installPlugin`; the highest catalog version is taken when `version` is unset. */
export const installPluginInputSchema = pluginVersionInputSchema;

/**
 * Handles `installPlugin`: installs a catalog version for the tenant after checking its
 * dependencies and configuration, and returns the requested permissions and the signing
 * secret. The secret is stored encrypted and this is the only response that shows it.
 */
export function createInstallPluginHandler(deps: PluginDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'installPlugin',
      installPluginInputSchema,
    );
    const caller = await pluginCaller(deps.pool, sessionVariables, input.tenantId);
    response.locals.context.tenantId = caller.tenantId;

    const entry = await findCatalogEntry(deps.pool, input.name, input.version ?? undefined);
    if (entry === null) {
      throw new ActionError(
        'plugin-not-found',
        `The catalog has no plugin "${input.name}${versionSuffix(input.version)}". ` +
          'List the catalog with the plugins query.',
      );
    }

    const config = checkedConfig(entry, input.config ?? {});
    const installationId = randomUUID();
    const { secret, encrypted } = deps.secrets.create(installationId);

    const row = await withTransaction(deps.pool, async (client) => {
      await lockTenantPlugins(client, caller.tenantId);
      const installed = await installedPlugins(client, caller.tenantId);
      const existing = installed.find((plugin) => plugin.name === entry.name);
      if (existing !== undefined) {
        throw new ActionError(
          'plugin-already-installed',
          `The plugin "${entry.name}" is already installed at ${existing.version}. ` +
            'Use upgradePlugin or configurePlugin to change it.',
        );
      }

      const unmet = unmetDependencies(entry.dependencies, installed);
      if (unmet.length > 0) {
        throw new ActionError(
          'plugin-dependency-unmet',
          `The plugin "${entry.name}@${entry.version}" needs ${unmet.join(', ')}. ` +
            'Install or upgrade those plugins first.',
        );
      }

      await client.query(
        `INSERT INTO plugin_installations (id, tenant_id, plugin_id, plugin_name, config,
                                           secret_encrypted)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [installationId, caller.tenantId, entry.id, entry.name, JSON.stringify(config), encrypted],
      );
      const created = await loadInstallation(client, caller.tenantId, entry.name);
      await auditInstallation(client, request, caller, 'plugin.installed', installationId, {
        after: {
          name: entry.name,
          version: entry.version,
          permissions: entry.requestedPermissions,
        },
      });
      return created;
    });

    response.locals.context.logger.info(
      { installationId, plugin: entry.name, version: entry.version },
      'plugin installed',
    );
    response.json({ ...installationOutput(row), signingSecret: secret });
  };
}
