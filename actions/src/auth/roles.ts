import type pg from 'pg';
import type { HasuraRole } from '../tokens/access-token.js';

/**
 * Returns the Hasura roles of a user: always `user`, plus `tenant_admin` and `platform_admin`
 * when the user has been granted the system role of that name. `platform_admin` counts only in the
 * platform tenant, so a customer tenant cannot grant it by naming a role so.
 */
export async function loadHasuraRoles(
  pool: pg.Pool,
  user: { id: string; tenantId: string },
  tenant: { isPlatform: boolean },
): Promise<HasuraRole[]> {
  const result = await pool.query<{ name: string }>(
    `SELECT r.name
       FROM public.user_roles ur
       JOIN public.roles r ON r.id = ur.role_id AND r.tenant_id = ur.tenant_id
      WHERE ur.user_id = $1 AND ur.tenant_id = $2 AND r.is_system`,
    [user.id, user.tenantId],
  );
  const names = new Set(result.rows.map((row) => row.name));

  const roles: HasuraRole[] = ['user'];
  if (names.has('tenant_admin')) roles.push('tenant_admin');
  if (names.has('platform_admin') && tenant.isPlatform) roles.push('platform_admin');
  return roles;
}
