import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record.js';
import { ActionError } from '../errors.js';
import { textField } from '../http/action-payload.js';
import type { ClientInfo } from '../http/client.js';
import { insertPlanFeatures } from './features.js';
import { planNames } from './plans.js';

// The CHECK of tenants.domain: dot-separated labels of letters, digits and inner hyphens.
const domainPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** A tenant domain, lower-cased, in the form the tenants table accepts. */
export const domainField = textField(3, 253)
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.string().regex(domainPattern, 'must be a domain name such as example.com'));

export const emailField = textField(3, 320).regex(
  /^[^@\s]+@[^@\s]+$/,
  'must be an email address such as admin@example.com',
);

/** Fields of a new tenant and its first administrator, shared by createTenant and signUp. */
export const tenantFields = {
  name: textField(1, 200).refine((value) => value.trim() !== '', 'must not be blank'),
  domain: domainField,
  adminEmail: emailField,
  adminFirstName: textField(0, 100),
  adminLastName: textField(0, 100),
};

export const planField = z.enum(planNames, {
  error: `must be one of ${planNames.join(', ')}`,
});

/** Everything `provisionTenant` writes. */
export interface TenantProvision {
  name: string;
  domain: string;
  plan: string;
  status: 'active' | 'trial';
  trialDays: number | null;
  admin: {
    email: string;
    firstName: string;
    lastName: string;
    /** argon2id hash for a self-service sign-up; null invites the admin as a pending user. */
    passwordHash: string | null;
  };
  /** Lifetime of the invitation token of a pending admin. */
  invitationTtlSeconds: number;
  actorUserId: string | null;
  client: ClientInfo;
}

/** A provisioned tenant; `invitationToken` is set only for a pending admin. */
export interface ProvisionedTenant {
  tenantId: string;
  name: string;
  domain: string;
  plan: string;
  status: string;
  trialEndsAt: Date | null;
  adminUserId: string;
  invitationToken: string | null;
  invitationExpiresAt: Date | null;
}

const systemRoles = [
  ['user', 'Every signed-in member of the tenant.'],
  ['tenant_admin', 'Administers the users, roles and settings of the tenant.'],
] as const;

/**
 * Creates a tenant through `client`, which must be inside a transaction: the tenant row, its
 * system roles `user` and `tenant_admin`, the plan's feature defaults, the first admin holding
 * both roles and, for a pending admin, an invitation token in `user_tokens` (hash only).
 * Throws `tenant-exists` when the domain is taken.
 */
export async function provisionTenant(
  client: pg.ClientBase,
  provision: TenantProvision,
): Promise<ProvisionedTenant> {
  const tenant = await insertTenant(client, provision);
  const roleIds = await client.query<{ id: string }>(
    `INSERT INTO public.roles (tenant_id, name, description, is_system)
     SELECT $1, role.name, role.description, true
       FROM unnest($2::text[], $3::text[]) AS role (name, description)
     RETURNING id`,
    [tenant.id, systemRoles.map(([name]) => name), systemRoles.map(([, text]) => text)],
  );
  await insertPlanFeatures(client, tenant.id, provision.plan);

  const { admin } = provision;
  const user = await client.query<{ id: string }>(
    `INSERT INTO public.users
       (tenant_id, email, first_name, last_name, status, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      tenant.id,
      admin.email,
      admin.firstName,
      admin.lastName,
      admin.passwordHash === null ? 'pending' : 'active',
      admin.passwordHash,
    ],
  );
  const adminUserId = user.rows[0]?.id;
  if (adminUserId === undefined) throw new Error('INSERT INTO users returned no row.');
  await client.query(
    `INSERT INTO public.user_roles (tenant_id, user_id, role_id)
     SELECT $1, $2, unnest($3::uuid[])`,
    [tenant.id, adminUserId, roleIds.rows.map((row) => row.id)],
  );

  const invitation =
    admin.passwordHash === null
      ? await insertInvitation(client, tenant.id, adminUserId, provision.invitationTtlSeconds)
      : null;
  await recordAuditEvent(client, {
    tenantId: tenant.id,
    actorUserId: provision.actorUserId,
    action: 'tenant.created',
    resourceType: 'tenants',
    resourceId: tenant.id,
    ip: provision.client.ip,
    userAgent: provision.client.userAgent,
    after: {
      name: provision.name,
      domain: provision.domain,
      plan: provision.plan,
      status: provision.status,
      trialEndsAt: tenant.trial_ends_at,
      adminUserId,
      adminPending: invitation !== null,
    },
  });
  return {
    tenantId: tenant.id,
    name: provision.name,
    domain: provision.domain,
    plan: provision.plan,
    status: provision.status,
    trialEndsAt: tenant.trial_ends_at,
    adminUserId,
    invitationToken: invitation?.token ?? null,
    invitationExpiresAt: invitation?.expiresAt ?? null,
  };
}

async function insertTenant(client: pg.ClientBase, provision: TenantProvision) {
  try {
    const result = await client.query<{ id: string; trial_ends_at: Date | null }>(
      `INSERT INTO public.tenants (name, domain, plan, status, trial_ends_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))
       RETURNING id, trial_ends_at`,
      [
        provision.name.trim(),
        provision.domain,
        provision.plan,
        provision.status,
        provision.trialDays,
      ],
    );
    const row = result.rows[0];
    if (row === undefined) throw new Error('INSERT INTO tenants returned no row.');
    return row;
  } catch (error) {
    if ((error as { constraint?: string }).constraint === 'tenants_domain_key') {
      throw new ActionError(
        'tenant-exists',
        `The domain "${provision.domain}" belongs to another tenant. Choose another domain.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Stores the SHA-256 of a new random invitation token and returns the token itself. */
async function insertInvitation(
  client: pg.ClientBase,
  tenantId: string,
  userId: string,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const hash = createHash('sha256').update(token, 'utf8').digest();
  const result = await client.query<{ expires_at: Date }>(
    `INSERT INTO public.user_tokens (tenant_id, user_id, purpose, token_hash, expires_at)
     VALUES ($1, $2, 'invite', $3, now() + make_interval(secs => $4))
     RETURNING expires_at`,
    [tenantId, userId, hash, ttlSeconds],
  );
  const expiresAt = result.rows[0]?.expires_at;
  if (expiresAt === undefined) throw new Error('INSERT INTO user_tokens returned no row.');
  return { token, expiresAt };
}
