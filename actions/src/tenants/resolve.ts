import type pg from 'pg';

/** How a request names a tenant: by its id, or by its domain (also the host it is served on). */
export type TenantReference = { kind: 'id'; id: string } | { kind: 'domain'; domain: string };

/** A tenant as the lifecycle and provisioning actions read it. */
export interface ResolvedTenant {
  id: string;
  name: string;
  domain: string;
  status: string;
  plan: string;
  isPlatform: boolean;
  trialEndsAt: Date | null;
  deletionScheduledAt: Date | null;
  /** True when the tenant is active, or in a trial that has not ended. */
  isOpen: boolean;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads `text` as a tenant id when it has the form of a UUID, and as a domain otherwise. */
export function parseTenantReference(text: string): TenantReference {
  const trimmed = text.trim();
  if (uuidPattern.test(trimmed)) return { kind: 'id', id: trimmed.toLowerCase() };
  return { kind: 'domain', domain: trimmed.toLowerCase() };
}

/** The value to bind for `tenantCondition(reference)`. */
export function tenantReferenceValue(reference: TenantReference): string {
  return reference.kind === 'id' ? reference.id : reference.domain;
}

/**
 * SQL condition on the tenants table aliased `alias` that matches `reference`, with the value
 * bound as parameter `$index`. Domains compare as citext, so case does not matter.
 */
export function tenantCondition(reference: TenantReference, alias: string, index: number): string {
  return reference.kind === 'id'
    ? `${alias}.id = $${index}::uuid`
    : `${alias}.domain = $${index}::citext`;
}

/**
 * Reads the tenant from the host a request was sent to: `x-forwarded-host`, else `host`. The
 * port and a trailing dot are dropped. Returns null when neither header contains a host name,
 * for example for an IP address or localhost.
 *
 * NOTE: whether Hasura v2 sends the client's Host as x-forwarded-host to an action with
 * forward_client_headers is not verified here, and the engine forwards neither header.
 */
export function tenantReferenceFromHost(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): TenantReference | null {
  for (const name of ['x-forwarded-host', 'host']) {
    const value = headers[name];
    const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
    if (first === undefined || first === '') continue;
    const host = first.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
    const isAddress = /^[\d.]+$/.test(host);
    if (/^[a-z0-9.-]+$/.test(host) && host.includes('.') && !isAddress) {
      return { kind: 'domain', domain: host };
    }
  }
  return null;
}

interface TenantRow {
  id: string;
  name: string;
  domain: string;
  status: string;
  plan: string;
  is_platform: boolean;
  trial_ends_at: Date | null;
  deletion_scheduled_at: Date | null;
  is_open: boolean;
}

/** Finds the tenant named by `reference`; `lock` takes a row lock for a following update. */
export async function resolveTenant(
  client: pg.Pool | pg.ClientBase,
  reference: TenantReference,
  options: { lock?: boolean } = {},
): Promise<ResolvedTenant | null> {
  const result = await client.query<TenantRow>(
    `SELECT t.id, t.name, t.domain::text AS domain, t.status, t.plan, t.is_platform,
            t.trial_ends_at, t.deletion_scheduled_at,
            (t.status = 'active' OR (t.status = 'trial' AND t.trial_ends_at > now())) AS is_open
       FROM public.tenants t
      WHERE ${tenantCondition(reference, 't', 1)}${options.lock === true ? ' FOR UPDATE' : ''}`,
    [tenantReferenceValue(reference)],
  );
  const row = result.rows[0];
  if (row === undefined) return null;
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    status: row.status,
    plan: row.plan,
    isPlatform: row.is_platform,
    trialEndsAt: row.trial_ends_at,
    deletionScheduledAt: row.deletion_scheduled_at,
    isOpen: row.is_open,
  };
}
