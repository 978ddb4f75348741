import { z } from 'zod';

/** Settings of tenant provisioning and lifecycle, read by `loadTenancyConfig`. */
export interface TenancyConfig {
  /** Whether the anonymous `signUpTenant` action creates tenants. */
  selfServiceSignup: boolean;
  /** Length of the trial that `signUpTenant` starts. */
  signupTrialDays: number;
  /** Days between `scheduleTenantDeletion` and the earliest purge, unless the call names one. */
  deletionGraceDays: number;
}

const requirements = {
  ACCI_SELF_SERVICE_SIGNUP: 'true or false',
  ACCI_SIGNUP_TRIAL_DAYS: 'a whole number of days from 1 to 365',
  ACCI_TENANT_DELETION_GRACE_DAYS: 'a whole number of days from 0 to 365',
} as const;

type Variable = keyof typeof requirements;

function days(min: number, fallback: number) {
  return z
    .preprocess(
      (value) => (value === '' ? undefined : value),
      z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(365)),
    )
    .default(fallback);
}

const environmentSchema = z.object({
  ACCI_SELF_SERVICE_SIGNUP: z
    .preprocess((value) => (value === '' ? undefined : value), z.enum(['true', 'false']))
    .default('false'),
  ACCI_SIGNUP_TRIAL_DAYS: days(1, 14),
  ACCI_TENANT_DELETION_GRACE_DAYS: days(0, 30),
});

/**
 * Parses the tenancy settings from `env`. Throws an `Error` naming the first invalid variable
 * and what it must contain.
 */
export function loadTenancyConfig(env: Readonly<Record<string, string | undefined>>) {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const name = parsed.error.issues[0]?.path[0];
    if (typeof name !== 'string' || !(name in requirements)) {
      throw new TypeError(`Unexpected tenancy configuration issue: ${parsed.error.message}`);
    }
    throw new Error(`Invalid ${name}: it must contain ${requirements[name as Variable]}.`);
  }
  const config: TenancyConfig = {
    selfServiceSignup: parsed.data.ACCI_SELF_SERVICE_SIGNUP === 'true',
    signupTrialDays: parsed.data.ACCI_SIGNUP_TRIAL_DAYS,
    deletionGraceDays: parsed.data.ACCI_TENANT_DELETION_GRACE_DAYS,
  };
  return config;
}
