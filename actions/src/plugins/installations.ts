import type { Request } from 'express';
import type pg from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import type { ActionsConfig } from '../config.js';
import { ActionError } from '../errors.js';
import { clientInfo } from '../http/client.js';
import { requireTenantCaller, targetTenant } from '../tenants/access.js';
import { validateConfig } from './config-schema.js';
import type { PluginsConfig } from './plugin-config.js';
import type { InstallationSecrets } from './secrets.js';

/** Services the plugin actions and the event receiver use. */
export interface PluginDependencies {
  config: ActionsConfig;
  plugins: PluginsConfig;
  pool: pg.Pool;
  logger: Logger;
  secrets: InstallationSecrets;
  /** Tells the delivery worker that new deliveries are due. */
  wakeWorker: () => void;
}

/** Roles that manage plugins; platform_admin and admin name the tenant in `tenantId`. */
const managingRoles = ['tenant_admin', 'platform_admin'] as const;

/** Input fields every plugin action shares. */
export const pluginNameField = z
  .string({ error: 'must be a plugin name' })
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be a plugin name such as audit-log');
export const tenantIdField = z.uuid({ error: 'must be a tenant id (UUID)' }).nullish();
export const configField = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });

/** Input of `installPlugin` and `upgradePlugin`; without `version`, the highest catalog version. */
export const pluginVersionInputSchema = z.object({
  name: pluginNameField,
  version: z.string({ error: 'must be a version such as 1.0.0' }).nullish(),
  config: configField.nullish(),
  tenantId: tenantIdField,
});

/** Returns `@version` for a message, or nothing when no version was given. */
export function versionSuffix(version: string | null | undefined): string {
  return version === undefined || version === null ? '' : `@${version}`;
}

/** The tenant a plugin action acts on and the user acting, after the role checks. */
export interface PluginCaller {
  tenantId: string;
  actorUserId: string | null;
}

/** Checks the caller's role and live session and resolves the tenant it acts on. */
export async function pluginCaller(
  pool: pg.Pool,
  sessionVariables: Record<string, string>,
  requestedTenant: string | null | undefined,
): Promise<PluginCaller> {
  const caller = await requireTenantCaller(pool, sessionVariables, managingRoles);
  return {
    tenantId: targetTenant(caller, requestedTenant ?? undefined),
    actorUserId: caller.userId,
  };
}

/** An installation joined with its catalog entry. */
export interface InstallationRow {
  id: string;
  tenantId: string;
  pluginId: string;
  name: string;
  version: string;
  enabled: boolean;
  config: Record<string, unknown>;
  hooks: string[];
  requestedPermissions: Array<{ resource: string; actions: string[] }>;
  configSchema: Record<string, unknown>;
  dependencies: Record<string, string>;
}

export const installationColumns = `i.id, i.tenant_id AS "tenantId", i.plugin_id AS "pluginId",
  p.name, p.version, i.enabled, i.config, p.hooks, p.requested_permissions AS
  "requestedPermissions", p.config_schema AS "configSchema", p.dependencies`;

/** Returns the tenant's installation of `name`, or throws `plugin-not-installed`. */
export async function loadInstallation(
  client: pg.Pool | pg.ClientBase,
  tenantId: string,
  name: string,
): Promise<InstallationRow> {
  const result = await client.query<InstallationRow>(
    `SELECT ${installationColumns}
       FROM plugin_installations i JOIN plugins p ON p.id = i.plugin_id
      WHERE i.tenant_id = $1 AND i.plugin_name = $2`,
    [tenantId, name],
  );
  const row = result.rows[0];
  if (row !== undefined) return row;
  throw new ActionError(
    'plugin-not-installed',
    `The plugin "${name}" is not installed for tenant "${tenantId}". Install it with installPlugin.`,
  );
}

/** Validates `config` against the schema of `plugin`, or throws `invalid-plugin-config`. */
export function checkedConfig(
  plugin: { name: string; version: string; configSchema: Record<string, unknown> },
  config: Record<string, unknown>,
): Record<string, unknown> {
  const result = validateConfig(plugin.configSchema, config);
  if (result.ok) return result.config;
  throw new ActionError(
    'invalid-plugin-config',
    `Invalid configuration of "${plugin.name}@${plugin.version}": ${result.problems.join(', ')}. ` +
      "Fix the settings named, as the plugin's config schema describes them.",
  );
}

/** The output fields every lifecycle action returns. */
export function installationOutput(row: InstallationRow) {
  return {
    installationId: row.id,
    tenantId: row.tenantId,
    name: row.name,
    version: row.version,
    enabled: row.enabled,
    config: row.config,
    hooks: row.hooks,
    requestedPermissions: row.requestedPermissions,
  };
}

/** Appends a `plugin.*` audit event about an installation. */
export async function auditInstallation(
  client: pg.ClientBase,
  request: Request,
  caller: PluginCaller,
  action: string,
  installationId: string,
  change: { before?: Record<string, unknown> | null; after: Record<string, unknown> | null },
): Promise<void> {
  const { ip, userAgent } = clientInfo(request);
  await recordAuditEvent(client, {
    tenantId: caller.tenantId,
    actorUserId: caller.actorUserId,
    action,
    resourceType: 'plugin_installations',
    resourceId: installationId,
    ip,
    userAgent,
    ...change,
  });
}
