import { readFile } from 'node:fs/promises';
import semver from 'semver';
import { z } from 'zod';
import {
  grantablePermissions,
  type HookName,
  isHookName,
  knownHooks,
  type PermissionAction,
  parseHookName,
  type RequestedPermission,
} from './events.js';

/** File name of a plugin manifest inside the plugin's folder. */
export const manifestFileName = 'acci-plugin.json';

/** A validated `acci-plugin.json`. */
export interface PluginManifest {
  name: string;
  version: string;
  description: string;
  /** Webhook URL, possibly with `{{VARIABLE}}` placeholders that `resolveWebhookUrl` fills. */
  webhook: string;
  hooks: HookName[];
  requestedPermissions: RequestedPermission[];
  /** JSON Schema of the per-tenant configuration. */
  configSchema: Record<string, unknown>;
  /** Other plugins this one needs installed: name to semver range. */
  dependencies: Record<string, string>;
}

/** Raised by `parseManifest`; `problems` has one line per invalid field. */
export class ManifestError extends Error {
  readonly problems: string[];

  constructor(source: string, problems: string[]) {
    super(`Invalid plugin manifest ${source}:\n  ${problems.join('\n  ')}`);
    this.name = 'ManifestError';
    this.problems = problems;
  }
}

const placeholder = /\{\{([A-Z_][A-Z0-9_]*)\}\}/g;
const pluginName = /^[a-z][a-z0-9-]{0,62}$/;

/** Tests whether `value` is an http(s) URL once every placeholder stands for a base URL. */
function isWebhookTemplate(value: string): boolean {
  const sample = value.replace(placeholder, 'http://placeholder.invalid');
  if (!URL.canParse(sample)) return false;
  return ['http:', 'https:'].includes(new URL(sample).protocol);
}

const hookSchema = z.string().refine(isHookName, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a known event. Known events: ${knownHooks.join(', ')}`,
});

const permissionSchema = z
  .object({
    resource: z.string(),
    actions: z.array(z.enum(['read', 'create'])).min(1, 'must list at least one action'),
  })
  .strict()
  .superRefine((permission, context) => {
    const grantable = grantablePermissions[permission.resource];
    if (grantable === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['resource'],
        message:
          `"${permission.resource}" is not a resource plugins may request. ` +
          `Resources: ${Object.keys(grantablePermissions).join(', ')}`,
      });
      return;
    }
    for (const [index, action] of permission.actions.entries()) {
      if (grantable.includes(action)) continue;
      context.addIssue({
        code: 'custom',
        path: ['actions', index],
        message: `"${action}" is not grantable on "${permission.resource}". Grantable: ${grantable.join(', ')}`,
      });
    }
  });

const manifestSchema = z
  .object({
    name: z.string().regex(pluginName, 'must be lower-case letters, digits and "-", 1 to 63'),
    version: z.string().refine((value) => semver.valid(value) === value, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a semantic version such as 1.0.0`,
    }),
    description: z.string().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
    webhook: z.string().refine(isWebhookTemplate, {
      error: 'must be an http or https URL, optionally starting with a {{VARIABLE}} placeholder',
    }),
    hooks: z.array(hookSchema).min(1, 'must list at least one event'),
    requestedPermissions: z.array(permissionSchema).default([]),
    configSchema: z
      .record(z.string(), z.unknown())
      .default({ type: 'object', additionalProperties: false }),
    dependencies: z
      .record(
        z.string().regex(pluginName, 'must be a plugin name'),
        z.string().refine((range) => semver.validRange(range) !== null, {
          error: (issue) => `${JSON.stringify(issue.input)} is not a semver range such as ^1.2.0`,
        }),
      )
      .default({}),
  })
  .strict()
  .superRefine(checkCrossFields);

/** Rejects repeated hooks, hooks without `read` on their table and a dependency on itself. */
function checkCrossFields(
  manifest: { name: string; hooks: string[]; requestedPermissions: RequestedPermission[] },
  context: z.RefinementCtx,
): void {
  const readable = new Set(
    manifest.requestedPermissions
      .filter((permission) => permission.actions.includes('read' satisfies PermissionAction))
      .map((permission) => permission.resource),
  );
  for (const [index, hook] of manifest.hooks.entries()) {
    if (!isHookName(hook)) continue;
    if (manifest.hooks.indexOf(hook) !== index) {
      context.addIssue({ code: 'custom', path: ['hooks', index], message: `repeats "${hook}"` });
      continue;
    }
    const { table } = parseHookName(hook);
    if (readable.has(table)) continue;
    context.addIssue({
      code: 'custom',
      path: ['hooks', index],
      message:
        `"${hook}" needs the "read" permission on "${table}". ` +
        `Add {"resource": "${table}", "actions": ["read"]} to requestedPermissions`,
    });
  }
}

/** Formats a zod path as `hooks[2]` or `requestedPermissions[0].actions[1]`. */
function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(manifest)' : text;
}

/**
 * Validates a parsed `acci-plugin.json`. Returns the manifest, or one line per problem of the
 * form `hooks[2]: "userz.insert" is not a known event. Known events: …`.
 */
export function validateManifest(
  value: unknown,
): { ok: true; manifest: PluginManifest } | { ok: false; problems: string[] } {
  const result = manifestSchema.safeParse(value);
  if (result.success) {
    const manifest = result.data as PluginManifest;
    const self = manifest.dependencies[manifest.name];
    if (self === undefined) return { ok: true, manifest };
    return {
      ok: false,
      problems: [`dependencies.${manifest.name}: a plugin cannot depend on itself`],
    };
  }
  const problems = result.error.issues.map((issue) => {
    const field = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return `${field}: unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    }
    return `${field}: ${issue.message}`;
  });
  return { ok: false, problems };
}

/** Validates `value` and throws a `ManifestError` naming `source` and every problem. */
export function parseManifest(value: unknown, source = 'manifest'): PluginManifest {
  const result = validateManifest(value);
  if (!result.ok) throw new ManifestError(source, result.problems);
  return result.manifest;
}

/** Reads and validates the manifest at `file`. Throws a `ManifestError` for bad JSON too. */
export async function readManifest(file: string): Promise<PluginManifest> {
  const text = await readFile(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(file, [`(manifest): not valid JSON (${(error as Error).message})`]);
  }
  return parseManifest(value, file);
}

/**
 * Replaces each `{{VARIABLE}}` of a webhook template with the variable from `env`. Throws an
 * `Error` naming the first unset variable, and one for a result that is no http(s) URL.
 */
export function resolveWebhookUrl(
  template: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const url = template.replace(placeholder, (_match, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new Error(`The webhook "${template}" needs the environment variable ${name}. Set it.`);
    }
    return value.replace(/\/+$/, '');
  });
  if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) {
    throw new Error(
      `The webhook "${template}" does not resolve to an http(s) URL. Check its variables.`,
    );
  }
  return url;
}
