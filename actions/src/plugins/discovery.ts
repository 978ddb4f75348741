import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ManifestError,
  manifestFileName,
  type PluginManifest,
  readManifest,
} from '@acci/plugin-sdk';
import type { Logger } from 'pino';

/** The plugins/ folder of this repository, which contains the first-party plugins. */
export const builtInPluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));

/** A manifest found on disk. */
export interface DiscoveredPlugin {
  manifest: PluginManifest;
  file: string;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads `<folder>/*\/acci-plugin.json` of each folder. An invalid manifest is logged with
 * every problem and skipped, so one broken plugin does not stop the action server.
 */
export async function discoverPlugins(
  folders: readonly string[],
  logger: Logger,
): Promise<DiscoveredPlugin[]> {
  const found: DiscoveredPlugin[] = [];
  for (const folder of folders) {
    let entries: string[];
    try {
      entries = (await readdir(folder, { withFileTypes: true }))
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    } catch (error) {
      logger.error({ err: error, folder }, 'plugin folder cannot be read');
      continue;
    }
    for (const name of entries) {
      const file = join(folder, name, manifestFileName);
      if (!(await exists(file))) continue;
      try {
        found.push({ manifest: await readManifest(file), file });
      } catch (error) {
        const problems = error instanceof ManifestError ? error.problems : undefined;
        logger.error({ err: error, file, problems }, 'plugin manifest is invalid and skipped');
      }
    }
  }
  return found;
}
