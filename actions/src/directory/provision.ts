import type { Entry } from 'ldapts';
import type pg from 'pg';
import { allValues, firstValue } from './client.js';
import type { DirectorySettings } from './settings.js';

/** The platform user of a directory entry after sign-in created or updated it. */
export interface ProvisionedUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  status: string;
  created: boolean;
  rolesAdded: string[];
  rolesRemoved: string[];
}

/** Reason that an entry cannot become a user. */
export type ProvisionRejection = 'entry-without-email' | 'email-taken';

/** Normalises a DN for comparison: lower case, no spaces around separators. */
export function normaliseDn(dn: string): string {
  return dn
    .toLowerCase()
    .replace(/\s*([,=+])\s*/g, '$1')
    .trim();
}

/** Group DNs of the entry: its memberOf values, or `groups` found by a group search. */
export function mappedRoleNames(settings: DirectorySettings, groups: string[]): string[] {
  const member = new Set(groups.map(normaliseDn));
  const roles = settings.groupRoleMap
    .filter((entry) => member.has(normaliseDn(entry.group)))
    .map((entry) => entry.role);
  return [...new Set(roles)];
}

function clip(value: string | null, max: number): string {
  return Array.from(value ?? '')
    .slice(0, max)
    .join('');
}

/**
 * Creates or updates the user of a directory entry inside `client`'s transaction: matched by
 * directory DN, else by email (linking a local account, whose password is then removed so
 * that only the directory signs it in). Name and email follow the directory.
 */
export async function upsertDirectoryUser(
  client: pg.ClientBase,
  tenantId: string,
  settings: DirectorySettings,
  entry: Entry,
): Promise<Omit<ProvisionedUser, 'rolesAdded' | 'rolesRemoved'> | ProvisionRejection> {
  const email = firstValue(entry, settings.emailAttribute)?.trim() ?? '';
  if (!/^[^@\s]+@[^@\s]+$/.test(email) || email.length > 320) return 'entry-without-email';
  const firstName = clip(firstValue(entry, settings.firstNameAttribute), 100);
  const lastName = clip(firstValue(entry, settings.lastNameAttribute), 100);

  const existing = await client.query<{ id: string; directory_dn: string | null }>(
    `SELECT id, directory_dn FROM public.users
      WHERE tenant_id = $1 AND (lower(directory_dn) = lower($2) OR email = $3::citext)
      ORDER BY (lower(directory_dn) = lower($2)) DESC NULLS LAST LIMIT 1`,
    [tenantId, entry.dn, email],
  );
  const match = existing.rows[0];
  if (
    match !== undefined &&
    match.directory_dn !== null &&
    normaliseDn(match.directory_dn) !== normaliseDn(entry.dn)
  ) {
    // The email belongs to the user of another directory entry.
    return 'email-taken';
  }

  const row =
    match === undefined
      ? await client.query<{ id: string; status: string; email: string }>(
          `INSERT INTO public.users
             (tenant_id, email, first_name, last_name, source, directory_dn, directory_checked_at)
           VALUES ($1, $2, $3, $4, 'directory', $5, now())
           ON CONFLICT (tenant_id, email) DO NOTHING
           RETURNING id, status, email::text AS email`,
          [tenantId, email, firstName, lastName, entry.dn],
        )
      : await client.query<{ id: string; status: string; email: string }>(
          `UPDATE public.users
              SET email = $2, first_name = $3, last_name = $4, source = 'directory',
                  directory_dn = $5, directory_checked_at = now(), password_hash = NULL
            WHERE id = $1 AND NOT EXISTS (
                    SELECT 1 FROM public.users other
                     WHERE other.tenant_id = $6 AND other.email = $2::citext AND other.id <> $1)
           RETURNING id, status, email::text AS email`,
          [match.id, email, firstName, lastName, entry.dn, tenantId],
        );
  const user = row.rows[0];
  if (user === undefined) return 'email-taken';
  return { ...user, firstName, lastName, created: match === undefined };
}

/**
 * Makes the user's directory-granted roles equal `roleNames`: grants the missing ones with
 * source directory and takes back directory grants no longer mapped. Grants an admin made
 * stay as they are. Unknown role names are skipped.
 */
export async function syncDirectoryRoles(
  client: pg.ClientBase | pg.Pool,
  user: { id: string; tenantId: string },
  roleNames: string[],
): Promise<{ added: string[]; removed: string[] }> {
  const removed = await client.query<{ name: string }>(
    `DELETE FROM public.user_roles ur USING public.roles r
      WHERE ur.role_id = r.id AND ur.user_id = $1 AND ur.tenant_id = $2
        AND ur.source = 'directory' AND NOT (r.name = ANY($3::text[]))
     RETURNING r.name`,
    [user.id, user.tenantId, roleNames],
  );
  const added = await client.query<{ name: string }>(
    `INSERT INTO public.user_roles (tenant_id, user_id, role_id, source)
     SELECT $2, $1, r.id, 'directory' FROM public.roles r
      WHERE r.tenant_id = $2 AND r.name = ANY($3::text[])
     ON CONFLICT (user_id, role_id) DO NOTHING
     RETURNING (SELECT name FROM public.roles WHERE id = role_id) AS name`,
    [user.id, user.tenantId, roleNames],
  );
  return { added: added.rows.map((row) => row.name), removed: removed.rows.map((row) => row.name) };
}

/** Group DNs from the entry's memberOf. */
export function memberOf(entry: Entry): string[] {
  return allValues(entry, 'memberOf');
}
