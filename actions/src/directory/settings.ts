import { X509Certificate } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import type { SecretBox } from '../crypto/secret-box.js';
import { textField } from '../http/action-payload.js';
import { filterTemplateProblem } from './filter.js';

/** Directory settings as `tenant_directories.settings` stores them, without the password. */
export interface DirectorySettings {
  url: string;
  startTls: boolean;
  caCertificate: string | null;
  bindDn: string;
  searchBase: string;
  searchFilter: string;
  emailAttribute: string;
  firstNameAttribute: string;
  lastNameAttribute: string;
  groupRoleMap: Array<{ group: string; role: string }>;
  timeoutMs: number;
}

/** A tenant's saved directory: the switch, the settings and the decrypted bind password. */
export interface SavedDirectory {
  enabled: boolean;
  settings: DirectorySettings;
  bindPassword: string | null;
}

function isLdapUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  const bare = url.pathname === '' || url.pathname === '/';
  return (
    ['ldap:', 'ldaps:'].includes(url.protocol) && url.hostname !== '' && bare && url.search === ''
  );
}

function isPemCertificate(value: string): boolean {
  try {
    new X509Certificate(value);
    return true;
  } catch {
    return false;
  }
}

const attribute = (fallback: string) =>
  z
    .string({ error: 'must be a string' })
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'must be an LDAP attribute name such as mail')
    .nullish()
    .transform((value) => value ?? fallback);

/** The `settings` input of `setDirectorySettings`, with the defaults filled in. */
export const directorySettingsInputSchema = z
  .object({
    enabled: z.boolean({ error: 'must be true or false' }),
    url: textField(1, 1024).refine(
      isLdapUrl,
      'must be an ldap:// or ldaps:// URL such as ldaps://dc1.example.com:636',
    ),
    startTls: z
      .boolean({ error: 'must be true or false' })
      .nullish()
      .transform((value) => value ?? false),
    caCertificate: textField(1, 65536)
      .refine(isPemCertificate, 'must be a PEM certificate ("-----BEGIN CERTIFICATE-----")')
      .nullish()
      .transform((value) => value ?? null),
    bindDn: textField(3, 1024).regex(
      /=/,
      'must be a distinguished name such as cn=service,dc=example,dc=com',
    ),
    bindPassword: textField(1, 1024).nullish(),
    searchBase: textField(3, 1024).regex(
      /=/,
      'must be a distinguished name such as ou=people,dc=example,dc=com',
    ),
    searchFilter: textField(1, 1024).superRefine((value, context) => {
      const problem = filterTemplateProblem(value);
      if (problem !== null) context.addIssue({ code: 'custom', message: problem });
    }),
    emailAttribute: attribute('mail'),
    firstNameAttribute: attribute('givenName'),
    lastNameAttribute: attribute('sn'),
    groupRoleMap: z
      .array(z.object({ group: textField(3, 1024), role: textField(1, 63) }), {
        error: 'must be a list',
      })
      .max(100, 'must contain at most 100 entries')
      .nullish()
      .transform((value) => value ?? []),
    timeoutMs: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(100, 'must be at least 100')
      .max(60000, 'must be at most 60000')
      .nullish()
      .transform((value) => value ?? 5000),
  })
  .refine((settings) => !(settings.startTls && settings.url.startsWith('ldaps:')), {
    path: ['startTls'],
    message: 'must be false for an ldaps:// URL, which is encrypted from the start',
  });

export type DirectorySettingsInput = z.output<typeof directorySettingsInputSchema>;

/** Encryption context of a bind password, which binds the ciphertext to its tenant. */
export function bindPasswordContext(tenantId: string): string {
  return `tenant_directories.bind_password_encrypted:${tenantId}`;
}

const storedSchema = z.object({
  url: z.string(),
  startTls: z.boolean(),
  caCertificate: z.string().nullable(),
  bindDn: z.string(),
  searchBase: z.string(),
  searchFilter: z.string(),
  emailAttribute: z.string(),
  firstNameAttribute: z.string(),
  lastNameAttribute: z.string(),
  groupRoleMap: z.array(z.object({ group: z.string(), role: z.string() })),
  timeoutMs: z.number(),
});

/**
 * Loads the directory of a tenant and decrypts its bind password. Returns null when the
 * tenant has no settings row or its settings are not in the stored form.
 */
export async function loadDirectory(
  client: pg.Pool | pg.ClientBase,
  box: SecretBox,
  tenantId: string,
): Promise<SavedDirectory | null> {
  const result = await client.query<{
    enabled: boolean;
    settings: unknown;
    bind_password_encrypted: Buffer | null;
  }>(
    'SELECT enabled, settings, bind_password_encrypted FROM public.tenant_directories WHERE tenant_id = $1',
    [tenantId],
  );
  const row = result.rows[0];
  if (row === undefined) return null;
  const settings = storedSchema.safeParse(row.settings);
  if (!settings.success) return null;
  const encrypted = row.bind_password_encrypted;
  const bindPassword =
    encrypted === null
      ? null
      : box.decrypt(encrypted, bindPasswordContext(tenantId)).toString('utf8');
  return { enabled: row.enabled, settings: settings.data, bindPassword };
}

/** Builds the `DirectorySettings` output: the settings and whether a password is stored. */
export function settingsOutput(directory: {
  enabled: boolean;
  settings: DirectorySettings;
  bindPasswordSet: boolean;
}) {
  return {
    enabled: directory.enabled,
    ...directory.settings,
    bindPasswordSet: directory.bindPasswordSet,
  };
}
