import { type DeliveryPayload, signatureHeadersFor } from '@acci/plugin-sdk';

/** A claimed delivery with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  tenantId: string;
  installationId: string;
  hook: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  webhookUrl: string;
  pluginName: string;
  pluginVersion: string;
  config: Record<string, unknown>;
  secretEncrypted: Buffer | null;
}

/** Result of one HTTP attempt. */
export interface AttemptResult {
  outcome: 'delivered' | 'failed' | 'timeout';
  statusCode: number | null;
  error: string | null;
  startedAt: Date;
  durationMs: number;
}

/** Names the failure of a request without the response body, which the plugin controls. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return 'request failed';
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const detail = cause?.code ?? cause?.message ?? error.message;
  return `request failed: ${detail}`.slice(0, 1000);
}

/**
 * Posts one signed delivery and waits at most `timeoutMs` for the status. Only the status is
 * read: the body is discarded, so a plugin cannot fill the log or stall the worker with it.
 * Redirects are not followed, because the signature is for the registered URL.
 */
export async function sendDelivery(
  delivery: ClaimedDelivery,
  body: DeliveryPayload,
  secret: string,
  timeoutMs: number,
): Promise<AttemptResult> {
  const text = JSON.stringify(body);
  const startedAt = new Date();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(delivery.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'acci-plugin-delivery/1',
        'x-acci-installation-id': delivery.installationId,
        ...signatureHeadersFor(secret, delivery.id, text),
      },
      body: text,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return {
      outcome: ok ? 'delivered' : 'failed',
      statusCode: response.status,
      error: ok ? null : `the plugin answered HTTP ${response.status}`,
      startedAt,
      durationMs: elapsed(),
    };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return {
      outcome: timedOut ? 'timeout' : 'failed',
      statusCode: null,
      error: timedOut ? `no response within ${timeoutMs} ms` : describeFailure(error),
      startedAt,
      durationMs: elapsed(),
    };
  }
}
