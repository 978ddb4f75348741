import type pg from 'pg';
import type { Logger } from 'pino';
import type { PasswordHasher } from '../auth/password.js';
import type { ActionsConfig } from '../config.js';
import type { Mailer } from '../mail/mailer.js';
import type { KeyValueStore } from '../store/store.js';

/** Services the tenant actions use. */
export interface TenantDependencies {
  config: ActionsConfig;
  pool: pg.Pool;
  logger: Logger;
  passwords: PasswordHasher;
  mailer: Mailer;
  store: KeyValueStore;
}

/** Output fields shared by `createTenant` and `signUpTenant`. */
export function provisionedOutput(tenant: {
  tenantId: string;
  name: string;
  domain: string;
  plan: string;
  status: string;
  trialEndsAt: Date | null;
  adminUserId: string;
  invitationExpiresAt: Date | null;
}) {
  return {
    tenantId: tenant.tenantId,
    name: tenant.name,
    domain: tenant.domain,
    plan: tenant.plan,
    status: tenant.status,
    trialEndsAt: tenant.trialEndsAt,
    adminUserId: tenant.adminUserId,
    invitationExpiresAt: tenant.invitationExpiresAt,
  };
}
