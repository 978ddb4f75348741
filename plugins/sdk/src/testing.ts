import { randomUUID } from 'node:crypto';
import {
  type DeliveryContext,
  type DeliveryPayload,
  type HookName,
  parseHookName,
  type Row,
} from './events.js';
import { signatureHeadersFor } from './signature.js';

/** Fields of a sample delivery; everything left out gets a plausible default. */
export interface SampleEvent {
  old?: Row | null;
  new?: Row | null;
  sessionVariables?: Record<string, string> | null;
  acci?: Partial<DeliveryContext>;
  /** Message id, random by default. */
  deliveryId?: string;
}

const operations = { insert: 'INSERT', update: 'UPDATE', delete: 'DELETE' } as const;

/** Builds the body that the platform would deliver for `hook`. */
export function sampleDelivery(hook: HookName, sample: SampleEvent = {}): DeliveryPayload {
  const { table, operation } = parseHookName(hook);
  const row = sample.new ?? sample.old ?? {};
  const tenantId = String(row.tenant_id ?? (table === 'tenants' ? row.id : randomUUID()));
  return {
    id: randomUUID(),
    created_at: new Date().toISOString(),
    event: {
      session_variables: sample.sessionVariables ?? { 'x-hasura-role': 'admin' },
      op: operations[operation],
      data: {
        old: sample.old ?? null,
        new: operation === 'delete' ? null : (sample.new ?? null),
      },
    },
    delivery_info: { max_retries: 0, current_retry: 0 },
    trigger: { name: `acci_${table}` },
    table: { schema: 'public', name: table },
    acci: {
      hook,
      tenantId,
      installationId: randomUUID(),
      plugin: { name: 'sample', version: '0.0.0' },
      config: {},
      credential: { token: 'sample-token', expiresAt: new Date(Date.now() + 60_000).toISOString() },
      graphqlUrl: null,
      ...sample.acci,
    },
  };
}

/**
 * Posts a signed sample delivery of `hook` to a plugin server, as the platform does, and
 * returns the response status and text. For plugin tests.
 */
export async function sendSampleEvent(
  url: string,
  secret: string,
  hook: HookName,
  sample: SampleEvent = {},
): Promise<{ status: number; body: string; payload: DeliveryPayload }> {
  const payload = sampleDelivery(hook, sample);
  const body = JSON.stringify(payload);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-acci-installation-id': payload.acci.installationId,
      ...signatureHeadersFor(secret, sample.deliveryId ?? `msg_${randomUUID()}`, body),
    },
    body,
  });
  return { status: response.status, body: await response.text(), payload };
}
