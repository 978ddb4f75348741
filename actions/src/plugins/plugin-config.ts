import { z } from 'zod';

/** Settings of plugin discovery and delivery, read by `loadPluginsConfig`. */
export interface PluginsConfig {
  /** Extra folder whose subfolders hold `acci-plugin.json` files, besides plugins/ here. */
  pluginsDir: string | undefined;
  /** Whether plugins/ of this repository is scanned; tests turn it off. */
  discoverBuiltIn: boolean;
  /**
   * Environment that fills `{{VARIABLE}}` placeholders of manifest webhooks when the catalog
   * is registered at start.
   */
  webhookEnvironment: Readonly<Record<string, string | undefined>>;
  /** GraphQL endpoint sent to plugins with their credential, or null when unknown. */
  graphqlUrl: string | null;
  delivery: DeliverySettings;
  /** Lifetime of the `plugin` role token of one delivery, in seconds. */
  tokenTtlSeconds: number;
}

/** Limits and timing of the delivery worker. */
export interface DeliverySettings {
  /** Attempts after which a delivery is dead. */
  maxAttempts: number;
  /** Time limit of one HTTP attempt, in milliseconds. */
  timeoutMs: number;
  /** Deliveries in flight at once over all plugins. */
  concurrency: number;
  /** Deliveries in flight at once for one installation, so one slow plugin cannot take all. */
  perInstallation: number;
  /** First backoff ceiling, doubled after each failure; the wait is random below it. */
  retryBaseMs: number;
  /** Largest backoff ceiling. */
  retryMaxMs: number;
  /** How often the worker looks for due deliveries besides being woken by new events. */
  pollMs: number;
}

const requirements = {
  ACCI_PLUGINS_DIR: 'a folder whose subfolders contain acci-plugin.json files',
  ACCI_GRAPHQL_URL: 'the http or https URL of /v1/graphql that plugins call back',
  ACCI_PLUGIN_DELIVERY_MAX_ATTEMPTS: 'a whole number from 1 to 50',
  ACCI_PLUGIN_DELIVERY_TIMEOUT_MS: 'a whole number of milliseconds from 100 to 120000',
  ACCI_PLUGIN_DELIVERY_CONCURRENCY: 'a whole number from 1 to 256',
  ACCI_PLUGIN_DELIVERY_PER_INSTALLATION: 'a whole number from 1 to 64',
  ACCI_PLUGIN_RETRY_BASE_MS: 'a whole number of milliseconds from 10 to 3600000',
  ACCI_PLUGIN_RETRY_MAX_MS: 'a whole number of milliseconds from 10 to 86400000',
  ACCI_PLUGIN_POLL_MS: 'a whole number of milliseconds from 10 to 60000',
  ACCI_PLUGIN_TOKEN_TTL_SECONDS: 'a whole number of seconds from 30 to 3600',
} as const;

type Variable = keyof typeof requirements;

function unsetWhenEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema);
}

function whole(min: number, max: number, fallback: number) {
  return unsetWhenEmpty(
    z
      .string()
      .regex(/^\d+$/)
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .default(fallback),
  );
}

const environmentSchema = z.object({
  ACCI_PLUGINS_DIR: unsetWhenEmpty(z.string().optional()),
  ACCI_GRAPHQL_URL: unsetWhenEmpty(
    z
      .string()
      .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol))
      .optional(),
  ),
  ACCI_PLUGIN_DELIVERY_MAX_ATTEMPTS: whole(1, 50, 8),
  ACCI_PLUGIN_DELIVERY_TIMEOUT_MS: whole(100, 120_000, 10_000),
  ACCI_PLUGIN_DELIVERY_CONCURRENCY: whole(1, 256, 16),
  ACCI_PLUGIN_DELIVERY_PER_INSTALLATION: whole(1, 64, 4),
  ACCI_PLUGIN_RETRY_BASE_MS: whole(10, 3_600_000, 2_000),
  ACCI_PLUGIN_RETRY_MAX_MS: whole(10, 86_400_000, 3_600_000),
  ACCI_PLUGIN_POLL_MS: whole(10, 60_000, 1_000),
  ACCI_PLUGIN_TOKEN_TTL_SECONDS: whole(30, 3600, 300),
});

/**
 * Parses the plugin settings from `env`. Throws an `Error` naming the first invalid variable
 * and what it must contain.
 */
export function loadPluginsConfig(
  env: Readonly<Record<string, string | undefined>>,
): PluginsConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const name = parsed.error.issues[0]?.path[0];
    if (typeof name !== 'string' || !(name in requirements)) {
      throw new TypeError(`Unexpected plugin configuration issue: ${parsed.error.message}`);
    }
    throw new Error(`Invalid ${name}: it must contain ${requirements[name as Variable]}.`);
  }
  const values = parsed.data;
  return {
    pluginsDir: values.ACCI_PLUGINS_DIR,
    discoverBuiltIn: true,
    webhookEnvironment: { ...env },
    graphqlUrl: values.ACCI_GRAPHQL_URL ?? null,
    delivery: {
      maxAttempts: values.ACCI_PLUGIN_DELIVERY_MAX_ATTEMPTS,
      timeoutMs: values.ACCI_PLUGIN_DELIVERY_TIMEOUT_MS,
      concurrency: values.ACCI_PLUGIN_DELIVERY_CONCURRENCY,
      perInstallation: values.ACCI_PLUGIN_DELIVERY_PER_INSTALLATION,
      retryBaseMs: values.ACCI_PLUGIN_RETRY_BASE_MS,
      retryMaxMs: Math.max(values.ACCI_PLUGIN_RETRY_MAX_MS, values.ACCI_PLUGIN_RETRY_BASE_MS),
      pollMs: values.ACCI_PLUGIN_POLL_MS,
    },
    tokenTtlSeconds: values.ACCI_PLUGIN_TOKEN_TTL_SECONDS,
  };
}
