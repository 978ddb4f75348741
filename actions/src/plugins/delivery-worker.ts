import type { DeliveryPayload, HookName } from '@acci/plugin-sdk';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { SigningKey } from '../tokens/keys.js';
import { backoffDelayMs } from './backoff.js';
import { signPluginToken } from './credential.js';
import { type AttemptResult, type ClaimedDelivery, sendDelivery } from './delivery-send.js';
import type { PluginsConfig } from './plugin-config.js';
import type { InstallationSecrets } from './secrets.js';

export interface DeliveryWorkerOptions {
  pool: pg.Pool;
  logger: Logger;
  plugins: PluginsConfig;
  signingKey: SigningKey;
  jwt: { issuer: string; audience: string | undefined };
  secrets: InstallationSecrets;
}

/** Sends due deliveries in the background. */
export interface DeliveryWorker {
  /** Looks for due deliveries now instead of at the next poll. */
  wake(): void;
  /** Stops claiming and waits for the attempts in flight, each bounded by its timeout. */
  stop(): Promise<void>;
}

// Claims up to $1 due deliveries, at most $2 in flight per installation, and leases each for
// $3 ms. A delivery whose lease ran out (its worker died) is due again. SKIP LOCKED lets
// several action servers claim side by side without waiting for each other. The count of
// deliveries in flight is read without a lock, so two servers claiming at once may exceed
// the per-installation limit by a few.
const claimSql = `
WITH busy AS (
  SELECT installation_id, count(*)::int AS sending FROM plugin_deliveries
   WHERE status = 'sending' AND locked_until > now() GROUP BY installation_id
), candidates AS (
  SELECT d.id, d.next_attempt_at, coalesce(b.sending, 0) AS sending,
         row_number() OVER (PARTITION BY d.installation_id ORDER BY d.next_attempt_at, d.id) AS rank
    FROM plugin_deliveries d
    JOIN plugin_installations i ON i.id = d.installation_id AND i.enabled
    LEFT JOIN busy b ON b.installation_id = d.installation_id
   WHERE (d.status = 'pending' AND d.next_attempt_at <= now())
      OR (d.status = 'sending' AND d.locked_until <= now())
), chosen AS (
  SELECT d.id FROM plugin_deliveries d
   WHERE d.id IN (SELECT id FROM candidates WHERE rank + sending <= $2
                   ORDER BY next_attempt_at LIMIT $1)
     FOR UPDATE OF d SKIP LOCKED
)
UPDATE plugin_deliveries d
   SET status = 'sending', attempts = d.attempts + 1,
       locked_until = now() + $3 * interval '1 millisecond'
  FROM chosen, plugin_installations i, plugins p
 WHERE d.id = chosen.id AND i.id = d.installation_id AND p.id = i.plugin_id
RETURNING d.id, d.tenant_id AS "tenantId", d.installation_id AS "installationId", d.hook,
          d.payload, d.attempts, d.max_attempts AS "maxAttempts", p.webhook_url AS "webhookUrl",
          p.name AS "pluginName", p.version AS "pluginVersion", i.config,
          i.secret_encrypted AS "secretEncrypted"`;

/** Starts the worker: it polls every `pollMs` and whenever `wake` is called. */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { delivery } = options.plugins;
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let ticking = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (delayMs: number) => {
    if (stopping) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), delayMs);
  };

  const tick = async (): Promise<void> => {
    if (stopping) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      const free = delivery.concurrency - inFlight.size;
      if (free > 0) {
        // The lease outlasts the attempt's timeout, so no second worker sends it meanwhile.
        const lease = delivery.timeoutMs + 30_000;
        const claimed = await options.pool.query<ClaimedDelivery>(claimSql, [
          free,
          delivery.perInstallation,
          lease,
        ]);
        for (const row of claimed.rows) {
          const task: Promise<void> = deliverOne(options, row).finally(() => {
            inFlight.delete(task);
            schedule(0);
          });
          inFlight.add(task);
        }
      }
    } catch (error) {
      options.logger.error({ err: error }, 'plugin deliveries could not be claimed');
    } finally {
      ticking = false;
    }
    if (again) {
      again = false;
      schedule(0);
    } else {
      schedule(delivery.pollMs);
    }
  };

  schedule(0);
  return {
    wake: () => schedule(0),
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Sends one claimed delivery and records the attempt, catching and logging every failure. */
async function deliverOne(
  options: DeliveryWorkerOptions,
  delivery: ClaimedDelivery,
): Promise<void> {
  const log = options.logger.child({
    deliveryId: delivery.id,
    installationId: delivery.installationId,
    tenantId: delivery.tenantId,
    plugin: delivery.pluginName,
    attempt: delivery.attempts,
  });
  let result: AttemptResult;
  try {
    const secret = options.secrets.reveal(delivery.installationId, revealable(delivery));
    const body = await bodyOf(options, delivery);
    result = await sendDelivery(delivery, body, secret, options.plugins.delivery.timeoutMs);
  } catch (error) {
    log.error({ err: error }, 'plugin delivery could not be prepared');
    result = {
      outcome: 'failed',
      statusCode: null,
      error: 'the delivery could not be signed on the platform',
      startedAt: new Date(),
      durationMs: 0,
    };
  }
  try {
    const state = await recordAttempt(options, delivery, result);
    if (state === 'delivered') log.debug({ durationMs: result.durationMs }, 'plugin delivery sent');
    else if (state === 'dead') log.error({ reason: result.error }, 'plugin delivery is dead');
    else
      log.warn({ reason: result.error, statusCode: result.statusCode }, 'plugin delivery failed');
  } catch (error) {
    log.error({ err: error }, 'plugin delivery attempt could not be recorded');
  }
}

function revealable(delivery: ClaimedDelivery): Buffer {
  if (delivery.secretEncrypted !== null) return delivery.secretEncrypted;
  throw new Error(`Installation "${delivery.installationId}" has no signing secret.`);
}

/** Adds the `acci` context with a fresh credential to the stored Hasura payload. */
async function bodyOf(
  options: DeliveryWorkerOptions,
  delivery: ClaimedDelivery,
): Promise<DeliveryPayload> {
  const credential = await signPluginToken(
    options.signingKey,
    { installationId: delivery.installationId, tenantId: delivery.tenantId },
    { ...options.jwt, ttlSeconds: options.plugins.tokenTtlSeconds },
  );
  const payload = delivery.payload as unknown as DeliveryPayload;
  return {
    ...payload,
    delivery_info: { max_retries: delivery.maxAttempts - 1, current_retry: delivery.attempts - 1 },
    acci: {
      hook: delivery.hook as HookName,
      tenantId: delivery.tenantId,
      installationId: delivery.installationId,
      plugin: { name: delivery.pluginName, version: delivery.pluginVersion },
      config: delivery.config,
      credential: { token: credential.token, expiresAt: credential.expiresAt.toISOString() },
      graphqlUrl: options.plugins.graphqlUrl,
    },
  };
}

/** Stores the attempt and moves the delivery to delivered, pending (with backoff) or dead. */
async function recordAttempt(
  options: DeliveryWorkerOptions,
  delivery: ClaimedDelivery,
  result: AttemptResult,
): Promise<'delivered' | 'pending' | 'dead'> {
  const { retryBaseMs, retryMaxMs } = options.plugins.delivery;
  const state =
    result.outcome === 'delivered'
      ? 'delivered'
      : delivery.attempts >= delivery.maxAttempts
        ? 'dead'
        : 'pending';
  const delayMs =
    state === 'pending' ? backoffDelayMs(delivery.attempts, retryBaseMs, retryMaxMs) : 0;
  await options.pool.query(
    `WITH attempt AS (
       INSERT INTO plugin_delivery_attempts (delivery_id, tenant_id, attempt, outcome, status_code,
                                             error, started_at, duration_ms)
       SELECT $1, $2, coalesce(max(attempt), 0) + 1, $3, $4, $5, $6, $7
         FROM plugin_delivery_attempts WHERE delivery_id = $1
     )
     UPDATE plugin_deliveries
        SET status = $8, locked_until = NULL, last_status_code = $4, last_error = $5,
            next_attempt_at = now() + $9 * interval '1 millisecond',
            delivered_at = CASE WHEN $8 = 'delivered' THEN now() ELSE delivered_at END
      WHERE id = $1`,
    [
      delivery.id,
      delivery.tenantId,
      result.outcome,
      result.statusCode,
      result.error,
      result.startedAt,
      result.durationMs,
      state,
      delayMs,
    ],
  );
  return state;
}
