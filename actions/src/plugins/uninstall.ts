import type { Request, Response } from 'express';
import { z } from 'zod';
import { withTransaction } from '../database/pool.js';
import { ActionError } from '../errors.js';
import { parseActionPayload } from '../http/action-payload.js';
import { brokenDependents, installedPlugins, lockTenantPlugins } from './dependencies.js';
import {
  auditInstallation,
  loadInstallation,
  type PluginDependencies,
  pluginCaller,
  pluginNameField,
  tenantIdField,
} from './installations.js';

/** Input of `uninstallPlugin`. */
export const uninstallPluginInputSchema = z.object({
  name: pluginNameField,
  tenantId: tenantIdField,
});

/**
 * Handles `uninstallPlugin`: deletes the installation with its secret, configuration and
 * deliveries, unless another installed plugin depends on it.
 */
export function createUninstallPluginHandler(deps: PluginDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'uninstallPlugin',
      uninstallPluginInputSchema,
    );
    const caller = await pluginCaller(deps.pool, sessionVariables, input.tenantId);
    response.locals.context.tenantId = caller.tenantId;

    const removed = await withTransaction(deps.pool, async (client) => {
      await lockTenantPlugins(client, caller.tenantId);
      const current = await loadInstallation(client, caller.tenantId, input.name);
      const dependents = brokenDependents(
        current.name,
        undefined,
        await installedPlugins(client, caller.tenantId),
      );
      if (dependents.length > 0) {
        throw new ActionError(
          'plugin-has-dependents',
          `The plugin "${current.name}" cannot be uninstalled because ${dependents.join(', ')} ` +
            'depends on it. Uninstall the dependents first.',
        );
      }
      await client.query('DELETE FROM plugin_installations WHERE id = $1', [current.id]);
      await auditInstallation(client, request, caller, 'plugin.uninstalled', current.id, {
        before: { name: current.name, version: current.version },
        after: null,
      });
      return current;
    });
    response.locals.context.logger.info(
      { installationId: removed.id, plugin: removed.name },
      'plugin uninstalled',
    );
    response.json({ installationId: removed.id, name: removed.name, uninstalled: true });
  };
}
