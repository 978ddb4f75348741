import type pg from 'pg';
import { parseTenantReference, tenantCondition, tenantReferenceValue } from '../tenants/resolve.js';

/** A tenant found by id or domain, with the user of the given email when there is one. */
export interface LoginCandidate {
  tenant: {
    id: string;
    status: string;
    /** True when the tenant is active, or in a trial that has not ended. */
    isOpen: boolean;
    isPlatform: boolean;
    /** The `security` member of the tenant's configuration, parsed by `parseSecurityPolicy`. */
    security: unknown;
  };
  user: {
    id: string;
    /** Email as stored, which may differ in case from the one given at sign-in. */
    email: string;
    passwordHash: string | null;
    firstName: string;
    lastName: string;
    status: string;
  } | null;
}

interface CandidateRow {
  tenant_id: string;
  tenant_status: string;
  tenant_open: boolean;
  is_platform: boolean;
  security: unknown;
  user_id: string | null;
  email: string | null;
  password_hash: string | null;
  first_name: string | null;
  last_name: string | null;
  user_status: string | null;
}

// One query for tenant and user, so an unknown user costs the same round trips as a known one.
// The open test matches the view active_sessions, which decides whether tokens are honoured.
const candidateQuery = (tenantCondition: string) => `
  SELECT t.id AS tenant_id, t.status AS tenant_status, t.is_platform,
         t.configuration -> 'security' AS security,
         (t.status = 'active' OR (t.status = 'trial' AND t.trial_ends_at > now())) AS tenant_open,
         u.id AS user_id, u.email::text AS email, u.password_hash,
         u.first_name, u.last_name, u.status AS user_status
    FROM public.tenants t
    LEFT JOIN public.users u ON u.tenant_id = t.id AND u.email = $2::citext
   WHERE ${tenantCondition}`;

const byId = candidateQuery(tenantCondition({ kind: 'id', id: '' }, 't', 1));
const byDomain = candidateQuery(tenantCondition({ kind: 'domain', domain: '' }, 't', 1));

/**
 * Finds the tenant named by `tenantRef`, a tenant id when it has the form of a UUID and a
 * domain otherwise, and its user whose email equals `email` ignoring case. Returns null when
 * there is no such tenant.
 */
export async function findLoginCandidate(
  pool: pg.Pool,
  tenantRef: string,
  email: string,
): Promise<LoginCandidate | null> {
  const reference = parseTenantReference(tenantRef);
  const query = reference.kind === 'id' ? byId : byDomain;
  const result = await pool.query<CandidateRow>(query, [tenantReferenceValue(reference), email]);
  const row = result.rows[0];
  if (row === undefined) return null;

  const tenant = {
    id: row.tenant_id,
    status: row.tenant_status,
    isOpen: row.tenant_open,
    isPlatform: row.is_platform,
    security: row.security,
  };
  if (row.user_id === null) return { tenant, user: null };
  return {
    tenant,
    user: {
      id: row.user_id,
      email: row.email ?? '',
      passwordHash: row.password_hash,
      firstName: row.first_name ?? '',
      lastName: row.last_name ?? '',
      status: row.user_status ?? '',
    },
  };
}
