/** Names of the plans a tenant can be on; `platform` is reserved for the platform tenant. */
export const planNames = ['free', 'standard', 'enterprise', 'platform'] as const;
export type PlanName = (typeof planNames)[number];

/** Feature flags that plans switch on or off, as `tenant_features.name` stores them. */
export const featureNames = [
  'audit_log',
  'custom_roles',
  'ldap',
  'mfa',
  'plugins',
  'api_keys',
] as const;
export type FeatureName = (typeof featureNames)[number];

/**
 * Feature defaults of each plan. `createTenant` copies them into `tenant_features`, and
 * `tenantFeatures` falls back to them for a flag without a row.
 */
export const planFeatures: Record<PlanName, Record<FeatureName, boolean>> = {
  free: {
    audit_log: false,
    custom_roles: false,
    ldap: false,
    mfa: true,
    plugins: false,
    api_keys: false,
  },
  standard: {
    audit_log: true,
    custom_roles: true,
    ldap: false,
    mfa: true,
    plugins: true,
    api_keys: true,
  },
  enterprise: {
    audit_log: true,
    custom_roles: true,
    ldap: true,
    mfa: true,
    plugins: true,
    api_keys: true,
  },
  platform: {
    audit_log: true,
    custom_roles: true,
    ldap: true,
    mfa: true,
    plugins: true,
    api_keys: true,
  },
};

export function isPlanName(value: string): value is PlanName {
  return (planNames as readonly string[]).includes(value);
}
