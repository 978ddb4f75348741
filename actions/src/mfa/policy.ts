import type pg from 'pg';
import { z } from 'zod';

const mfaPolicySchema = z.object({
  requiredForRoles: z.array(z.string()).catch([]),
});

/**
 * Reads `security.mfa.requiredForRoles` of a tenant's configuration: names of tenant roles
 * whose holders must have a confirmed second factor. Missing or malformed means none.
 */
export function mfaRequiredRoles(security: unknown): string[] {
  const mfa =
    typeof security === 'object' && security !== null && 'mfa' in security
      ? (security as { mfa: unknown }).mfa
      : undefined;
  const parsed = mfaPolicySchema.safeParse(mfa ?? {});
  return parsed.success ? parsed.data.requiredForRoles : [];
}

/** Returns true when the user holds a role, system or not, that the tenant's policy names. */
export async function policyRequiresMfa(
  pool: pg.Pool,
  user: { id: string; tenantId: string },
  security: unknown,
): Promise<boolean> {
  const roles = mfaRequiredRoles(security);
  if (roles.length === 0) return false;
  const result = await pool.query(
    `SELECT 1 FROM public.user_roles ur
       JOIN public.roles r ON r.id = ur.role_id AND r.tenant_id = ur.tenant_id
      WHERE ur.user_id = $1 AND ur.tenant_id = $2 AND r.name = ANY($3::text[])
      LIMIT 1`,
    [user.id, user.tenantId, roles],
  );
  return result.rowCount === 1;
}
