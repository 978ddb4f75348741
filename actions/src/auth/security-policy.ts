import type pg from 'pg';
import { z } from 'zod';
import { ActionError } from '../errors.js';

/** Password rules of a tenant, from `tenants.configuration.security.passwordPolicy`. */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  requireUpper: boolean;
  requireLower: boolean;
  requireDigit: boolean;
  requireSymbol: boolean;
}

/** Lockout rule of a tenant, from `tenants.configuration.security.lockout`. */
export interface LockoutPolicy {
  /** Failed sign-ins within `windowSeconds` that lock the account. */
  maxFailures: number;
  windowSeconds: number;
  /** How long a locked account rejects every sign-in. */
  durationSeconds: number;
}

export interface SecurityPolicy {
  passwordPolicy: PasswordPolicy;
  lockout: LockoutPolicy;
}

/** Hard upper bound of any password, so argon2 never hashes megabytes. */
const absoluteMaxLength = 1024;

// Each field falls back to its default on its own, when missing or invalid, so one bad value
// in a tenant's configuration does not switch off the rest of the policy.
const passwordPolicySchema = z.object({
  minLength: z.number().int().min(1).max(absoluteMaxLength).catch(12),
  maxLength: z.number().int().min(1).max(absoluteMaxLength).catch(1024),
  requireUpper: z.boolean().catch(false),
  requireLower: z.boolean().catch(false),
  requireDigit: z.boolean().catch(false),
  requireSymbol: z.boolean().catch(false),
});

const lockoutSchema = z.object({
  maxFailures: z.number().int().min(1).max(1000).catch(10),
  windowSeconds: z.number().int().min(1).max(86400).catch(900),
  durationSeconds: z.number().int().min(1).max(86400).catch(900),
});

const securitySchema = z.object({
  passwordPolicy: passwordPolicySchema.catch(() => passwordPolicySchema.parse({})),
  lockout: lockoutSchema.catch(() => lockoutSchema.parse({})),
});

/**
 * Reads the security policy from the `security` member of a tenant's configuration, filling
 * in defaults: passwords of 12 to 1024 characters without character classes, and a lock of
 * 15 minutes after 10 failures within 15 minutes.
 */
export function parseSecurityPolicy(security: unknown): SecurityPolicy {
  const parsed = securitySchema.safeParse(security ?? {});
  return parsed.success ? parsed.data : securitySchema.parse({});
}

interface Rule {
  name: keyof PasswordPolicy;
  applies(policy: PasswordPolicy): boolean;
  passes(password: string, policy: PasswordPolicy): boolean;
  requirement(policy: PasswordPolicy): string;
}

const rules: Rule[] = [
  {
    name: 'minLength',
    applies: () => true,
    passes: (password, policy) => Array.from(password).length >= policy.minLength,
    requirement: (policy) => `at least ${policy.minLength} characters`,
  },
  {
    name: 'maxLength',
    applies: () => true,
    passes: (password, policy) =>
      Array.from(password).length <= Math.min(policy.maxLength, absoluteMaxLength),
    requirement: (policy) => `at most ${Math.min(policy.maxLength, absoluteMaxLength)} characters`,
  },
  {
    name: 'requireUpper',
    applies: (policy) => policy.requireUpper,
    passes: (password) => /\p{Lu}/u.test(password),
    requirement: () => 'an upper-case letter',
  },
  {
    name: 'requireLower',
    applies: (policy) => policy.requireLower,
    passes: (password) => /\p{Ll}/u.test(password),
    requirement: () => 'a lower-case letter',
  },
  {
    name: 'requireDigit',
    applies: (policy) => policy.requireDigit,
    passes: (password) => /\p{Nd}/u.test(password),
    requirement: () => 'a digit',
  },
  {
    name: 'requireSymbol',
    applies: (policy) => policy.requireSymbol,
    passes: (password) => /[^\p{L}\p{N}\s]/u.test(password),
    requirement: () => 'a symbol such as ! or #',
  },
];

/**
 * Throws `password-policy-violation` naming the first rule of `policy` that `password`
 * breaks; the message never contains the password.
 */
export function assertPasswordAllowed(policy: PasswordPolicy, password: string): void {
  for (const rule of rules) {
    if (!rule.applies(policy) || rule.passes(password, policy)) continue;
    throw new ActionError(
      'password-policy-violation',
      `The new password must contain ${rule.requirement(policy)} (rule "${rule.name}" of the ` +
        "tenant's password policy). Choose a password that meets it.",
    );
  }
}

/** Reads the security policy of tenant `tenantId`; a missing tenant gets the defaults. */
export async function loadSecurityPolicy(
  client: pg.Pool | pg.ClientBase,
  tenantId: string,
): Promise<SecurityPolicy> {
  const result = await client.query<{ security: unknown }>(
    `SELECT configuration -> 'security' AS security FROM public.tenants WHERE id = $1`,
    [tenantId],
  );
  return parseSecurityPolicy(result.rows[0]?.security);
}
