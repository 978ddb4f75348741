import type { Request, Response } from 'express';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload } from '../http/action-payload.js';
import { findCatalogEntry } from './catalog.js';
import {
  brokenDependents,
  installedPlugins,
  isUpgrade,
  lockTenantPlugins,
  unmetDependencies,
} from './dependencies.js';
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

/** Input of `upgradePlugin`; without `version`, the highest catalog version. */
export const upgradePluginInputSchema = pluginVersionInputSchema;

/**
 * Handles `upgradePlugin`: moves an installation to a higher catalog version, keeping its
 * secret and enabled state. The configuration (the given one, else the current one) must be
 * valid against the new schema, the new version's dependencies must be met, and every
 * installed dependent's range must still accept the new version.
 */
export function createUpgradePluginHandler(deps: PluginDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'upgradePlugin',
      upgradePluginInputSchema,
    );
    const caller = await pluginCaller(deps.pool, sessionVariables, input.tenantId);
    response.locals.context.tenantId = caller.tenantId;

    const entry = await findCatalogEntry(deps.pool, input.name, input.version ?? undefined);
    if (entry === null) {
      throw new ActionError(
        'plugin-not-found',
        `The catalog has no plugin "${input.name}${versionSuffix(input.version)}". ` +
          'Name a registered version.',
      );
    }

    const { row, previousVersion } = await withTransaction(deps.pool, async (client) => {
      await lockTenantPlugins(client, caller.tenantId);
      const current = await loadInstallation(client, caller.tenantId, input.name);
      if (!isUpgrade(current.version, entry.version)) {
        throw new ActionError(
          'plugin-version-conflict',
          `The plugin "${entry.name}" is installed at ${current.version}, and ${entry.version} ` +
            'is not higher. Name a higher version.',
        );
      }

      const config = checkedConfig(entry, input.config ?? current.config);
      const others = (await installedPlugins(client, caller.tenantId)).filter(
        (plugin) => plugin.name !== entry.name,
      );
      const unmet = unmetDependencies(entry.dependencies, others);
      if (unmet.length > 0) {
        throw new ActionError(
          'plugin-dependency-unmet',
          `The plugin "${entry.name}@${entry.version}" needs ${unmet.join(', ')}. ` +
            'Install or upgrade those plugins first.',
        );
      }
      const broken = brokenDependents(entry.name, entry.version, others);
      if (broken.length > 0) {
        throw new ActionError(
          'plugin-has-dependents',
          `Upgrading "${entry.name}" to ${entry.version} would break ${broken.join(', ')}. ` +
            'Upgrade those plugins first.',
        );
      }

      await client.query(
        'UPDATE plugin_installations SET plugin_id = $2, config = $3 WHERE id = $1',
        [current.id, entry.id, JSON.stringify(config)],
      );
      await auditInstallation(client, request, caller, 'plugin.upgraded', current.id, {
        before: { version: current.version },
        after: { version: entry.version, permissions: entry.requestedPermissions },
      });
      const upgraded = await loadInstallation(client, caller.tenantId, entry.name);
      return { row: upgraded, previousVersion: current.version };
    });

    response.json({ ...installationOutput(row), previousVersion });
  };
}
