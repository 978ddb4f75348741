import { compareVersions, resolveWebhookUrl } from '@acci/plugin-sdk';
import type pg from 'pg';
import type { Logger } from 'pino';
import { checkConfigSchema } from './config-schema.js';
import type { DiscoveredPlugin } from './discovery.js';

/** A catalog row as the plugin actions read it. */
export interface CatalogEntry {
  id: string;
  name: string;
  version: string;
  webhookUrl: string;
  hooks: string[];
  requestedPermissions: Array<{ resource: string; actions: string[] }>;
  configSchema: Record<string, unknown>;
  dependencies: Record<string, string>;
}

export const catalogColumns = `id, name, version, webhook_url AS "webhookUrl", hooks,
  requested_permissions AS "requestedPermissions", config_schema AS "configSchema", dependencies`;

/**
 * Upserts each discovered manifest into `plugins` by name and version, with its webhook
 * resolved against `env`. A manifest whose webhook variable is unset or whose config schema
 * does not compile is logged and skipped. Returns the registered `name@version` entries.
 */
export async function registerCatalog(
  pool: pg.Pool,
  plugins: readonly DiscoveredPlugin[],
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<string[]> {
  const registered: string[] = [];
  for (const { manifest, file } of plugins) {
    let webhookUrl: string;
    try {
      webhookUrl = resolveWebhookUrl(manifest.webhook, env);
    } catch (error) {
      // A plugin that this deployment does not run has no URL variable, which is normal.
      logger.warn({ reason: (error as Error).message, file }, 'plugin is not registered');
      continue;
    }
    try {
      checkConfigSchema(manifest.configSchema);
    } catch (error) {
      logger.error({ err: error, file }, 'plugin config schema is invalid and not registered');
      continue;
    }
    await pool.query(
      `INSERT INTO plugins (name, version, description, webhook_url, hooks, dependencies,
                            requested_permissions, config_schema)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (name, version) DO UPDATE SET
         description = EXCLUDED.description, webhook_url = EXCLUDED.webhook_url,
         hooks = EXCLUDED.hooks, dependencies = EXCLUDED.dependencies,
         requested_permissions = EXCLUDED.requested_permissions,
         config_schema = EXCLUDED.config_schema`,
      [
        manifest.name,
        manifest.version,
        manifest.description,
        webhookUrl,
        JSON.stringify(manifest.hooks),
        JSON.stringify(manifest.dependencies),
        JSON.stringify(manifest.requestedPermissions),
        JSON.stringify(manifest.configSchema),
      ],
    );
    registered.push(`${manifest.name}@${manifest.version}`);
  }
  if (registered.length > 0) logger.info({ plugins: registered }, 'plugin catalog registered');
  return registered;
}

/** Returns the catalog entry of `name` at `version`, or at its highest version when unset. */
export async function findCatalogEntry(
  client: pg.Pool | pg.ClientBase,
  name: string,
  version: string | undefined,
): Promise<CatalogEntry | null> {
  const result = await client.query<CatalogEntry>(
    `SELECT ${catalogColumns} FROM plugins WHERE name = $1`,
    [name],
  );
  if (version !== undefined) return result.rows.find((row) => row.version === version) ?? null;
  return highestVersion(result.rows);
}

function highestVersion(rows: CatalogEntry[]): CatalogEntry | null {
  let best: CatalogEntry | null = null;
  for (const row of rows) {
    if (best === null || compareVersions(row.version, best.version) > 0) best = row;
  }
  return best;
}
