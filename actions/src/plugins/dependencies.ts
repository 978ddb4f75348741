import { compareVersions, satisfiesRange } from '@acci/plugin-sdk';
import type pg from 'pg';

/** A plugin installed for a tenant, with what its installed version depends on. */
export interface InstalledPlugin {
  name: string;
  version: string;
  dependencies: Record<string, string>;
}

/** Returns the installed plugins of a tenant. Run it after `lockTenantPlugins`. */
export async function installedPlugins(
  client: pg.ClientBase,
  tenantId: string,
): Promise<InstalledPlugin[]> {
  const result = await client.query<InstalledPlugin>(
    `SELECT p.name, p.version, p.dependencies
       FROM plugin_installations i JOIN plugins p ON p.id = i.plugin_id
      WHERE i.tenant_id = $1`,
    [tenantId],
  );
  return result.rows;
}

/**
 * Lists the dependencies of `required` that the tenant's installed plugins do not meet, as
 * `name@range (installed: version)` or `name@range (not installed)`.
 */
export function unmetDependencies(
  required: Record<string, string>,
  installed: readonly InstalledPlugin[],
): string[] {
  const unmet: string[] = [];
  for (const [name, range] of Object.entries(required)) {
    const found = installed.find((plugin) => plugin.name === name);
    if (found === undefined) unmet.push(`${name}@${range} (not installed)`);
    else if (!satisfiesRange(found.version, range)) {
      unmet.push(`${name}@${range} (installed: ${found.version})`);
    }
  }
  return unmet;
}

/**
 * Lists the installed plugins that depend on `name` and whose range `version` would not
 * meet; with `version` undefined (uninstall), every dependent counts.
 */
export function brokenDependents(
  name: string,
  version: string | undefined,
  installed: readonly InstalledPlugin[],
): string[] {
  return installed
    .filter((plugin) => {
      const range = plugin.dependencies[name];
      if (range === undefined) return false;
      return version === undefined || !satisfiesRange(version, range);
    })
    .map(
      (plugin) => `${plugin.name}@${plugin.version} (needs ${name}@${plugin.dependencies[name]})`,
    );
}

/** Whether `next` is a higher version than `current`. */
export function isUpgrade(current: string, next: string): boolean {
  return compareVersions(next, current) > 0;
}

/**
 * Serialises plugin changes of one tenant until the transaction ends, so two concurrent
 * calls cannot both pass a dependency check that only one of them may.
 */
export async function lockTenantPlugins(client: pg.ClientBase, tenantId: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('acci.plugins:' || $1))`, [tenantId]);
}
