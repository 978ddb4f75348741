import type pg from 'pg';
import { isPlanName, planFeatures } from './plans.js';

/** One effective feature flag of a tenant. */
export interface EffectiveFeature {
  name: string;
  enabled: boolean;
  /** `plan` when the plan's default applies, `override` when a tenant_features row sets it. */
  source: 'plan' | 'override';
  config: Record<string, unknown>;
}

interface OverrideRow {
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
}

/**
 * Returns the effective flags of a tenant on `plan`: the plan's defaults, replaced by the
 * tenant's rows in `tenant_features`, sorted by name. A plan that no longer exists in
 * `planFeatures` contributes no defaults, so only the rows count.
 */
export async function effectiveFeatures(
  client: pg.Pool | pg.ClientBase,
  tenantId: string,
  plan: string,
): Promise<EffectiveFeature[]> {
  const result = await client.query<OverrideRow>(
    'SELECT name, enabled, config FROM public.tenant_features WHERE tenant_id = $1',
    [tenantId],
  );
  const defaults: Record<string, boolean> = isPlanName(plan) ? planFeatures[plan] : {};
  const features = new Map<string, EffectiveFeature>();
  for (const [name, enabled] of Object.entries(defaults)) {
    features.set(name, { name, enabled, source: 'plan', config: {} });
  }
  for (const row of result.rows) {
    const source = defaults[row.name] === row.enabled ? 'plan' : 'override';
    features.set(row.name, { name: row.name, enabled: row.enabled, source, config: row.config });
  }
  return [...features.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Inserts a tenant's rows for the defaults of `plan`, as provisioning does. */
export async function insertPlanFeatures(
  client: pg.ClientBase,
  tenantId: string,
  plan: string,
): Promise<void> {
  if (!isPlanName(plan)) throw new TypeError(`Unknown plan "${plan}".`);
  const entries = Object.entries(planFeatures[plan]);
  await client.query(
    `INSERT INTO public.tenant_features (tenant_id, name, enabled)
     SELECT $1, feature.name, feature.enabled
       FROM unnest($2::text[], $3::boolean[]) AS feature (name, enabled)`,
    [tenantId, entries.map(([name]) => name), entries.map(([, enabled]) => enabled)],
  );
}
