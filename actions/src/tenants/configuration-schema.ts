import { Ajv, type ErrorObject } from 'ajv';

/**
 * JSON Schema of `tenants.configuration`. The security members match what sign-in reads:
 * `security.passwordPolicy`, `security.lockout` and `security.mfa`. Unknown members are rejected, so a typo
 * does not silently leave a default in place.
 */
export const tenantConfigurationSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    theme: {
      type: 'object',
      additionalProperties: false,
      properties: {
        primaryColor: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' },
        logoUrl: { type: 'string', pattern: '^https://', maxLength: 2048 },
        mode: { enum: ['light', 'dark', 'system'] },
      },
    },
    security: {
      type: 'object',
      additionalProperties: false,
      properties: {
        passwordPolicy: {
          type: 'object',
          additionalProperties: false,
          properties: {
            minLength: { type: 'integer', minimum: 8, maximum: 1024 },
            maxLength: { type: 'integer', minimum: 8, maximum: 1024 },
            requireUpper: { type: 'boolean' },
            requireLower: { type: 'boolean' },
            requireDigit: { type: 'boolean' },
            requireSymbol: { type: 'boolean' },
          },
        },
        mfa: {
          type: 'object',
          additionalProperties: false,
          properties: {
            requiredForRoles: {
              type: 'array',
              maxItems: 100,
              uniqueItems: true,
              items: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,62}$' },
            },
          },
        },
        lockout: {
          type: 'object',
          additionalProperties: false,
          properties: {
            maxFailures: { type: 'integer', minimum: 1, maximum: 1000 },
            windowSeconds: { type: 'integer', minimum: 1, maximum: 86400 },
            durationSeconds: { type: 'integer', minimum: 1, maximum: 86400 },
          },
        },
        mfaRequired: { type: 'boolean' },
      },
    },
    integrations: {
      type: 'object',
      additionalProperties: false,
      properties: {
        webhookUrl: { type: 'string', pattern: '^https://', maxLength: 2048 },
        slackChannel: { type: 'string', pattern: '^#[a-z0-9_-]{1,80}$' },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile(tenantConfigurationSchema);

/** Formats one ajv error as `configuration.<path> <message>`, naming the offending member. */
function describe(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  const path = ['configuration', ...segments].join('.');
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperty' || error.keyword === 'additionalProperties') {
    return `${path}.${String(params.additionalProperty)} is not a known setting`;
  }
  if (error.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map((value) => String(value));
    return `${path} must be one of ${allowed.join(', ')}`;
  }
  return `${path} ${error.message ?? 'is invalid'}`;
}

/** Returns the problems of `configuration`, one sentence each; empty when it is valid. */
export function configurationProblems(configuration: unknown): string[] {
  if (validate(configuration)) return [];
  return (validate.errors ?? []).map(describe);
}
