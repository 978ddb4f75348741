import type { Request, Response } from 'express';
import { z } from 'zod';
import { withTransaction } from '../database/pool.js';
import { parseActionPayload } from '../http/action-payload.js';
import { lockTenantPlugins } from './dependencies.js';
import {
  auditInstallation,
  checkedConfig,
  configField,
  installationOutput,
  loadInstallation,
  type PluginDependencies,
  pluginCaller,
  pluginNameField,
  tenantIdField,
} from './installations.js';

/** Input of `configurePlugin`: the whole new configuration, which replaces the old one. */
export const configurePluginInputSchema = z.object({
  name: pluginNameField,
  config: configField,
  tenantId: tenantIdField,
});

/** Input of `enablePlugin` and `disablePlugin`. */
export const togglePluginInputSchema = z.object({
  name: pluginNameField,
  tenantId: tenantIdField,
});

/**
 * Handles `configurePlugin`: validates the configuration against the installed version's
 * JSON Schema (filling its defaults) and stores it. Audit events record the names of the
 * changed settings but not their values, which may be credentials of the plugin.
 */
export function createConfigurePluginHandler(deps: PluginDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      'configurePlugin',
      configurePluginInputSchema,
    );
    const caller = await pluginCaller(deps.pool, sessionVariables, input.tenantId);
    response.locals.context.tenantId = caller.tenantId;

    const row = await withTransaction(deps.pool, async (client) => {
      await lockTenantPlugins(client, caller.tenantId);
      const current = await loadInstallation(client, caller.tenantId, input.name);
      const config = checkedConfig(current, input.config);
      await client.query('UPDATE plugin_installations SET config = $2 WHERE id = $1', [
        current.id,
        JSON.stringify(config),
      ]);
      const changed = [...new Set([...Object.keys(current.config), ...Object.keys(config)])].filter(
        (key) => JSON.stringify(current.config[key]) !== JSON.stringify(config[key]),
      );
      await auditInstallation(client, request, caller, 'plugin.configured', current.id, {
        after: { changedSettings: changed },
      });
      return { ...current, config };
    });
    response.json(installationOutput(row));
  };
}

/**
 * Handles `enablePlugin` (`enabled` true) or `disablePlugin`. A disabled installation gets no
 * new deliveries, its pending ones wait until it is enabled again, and its `plugin` tokens
 * read nothing.
 */
export function createTogglePluginHandler(deps: PluginDependencies, enabled: boolean) {
  const actionName = enabled ? 'enablePlugin' : 'disablePlugin';
  return async (request: Request, response: Response): Promise<void> => {
    const { input, sessionVariables } = parseActionPayload(
      request.body,
      actionName,
      togglePluginInputSchema,
    );
    const caller = await pluginCaller(deps.pool, sessionVariables, input.tenantId);
    response.locals.context.tenantId = caller.tenantId;

    const row = await withTransaction(deps.pool, async (client) => {
      const current = await loadInstallation(client, caller.tenantId, input.name);
      if (current.enabled === enabled) return current;
      await client.query('UPDATE plugin_installations SET enabled = $2 WHERE id = $1', [
        current.id,
        enabled,
      ]);
      const action = enabled ? 'plugin.enabled' : 'plugin.disabled';
      await auditInstallation(client, request, caller, action, current.id, {
        before: { enabled: current.enabled },
        after: { enabled },
      });
      return { ...current, enabled };
    });
    if (enabled) deps.wakeWorker();
    response.json(installationOutput(row));
  };
}
