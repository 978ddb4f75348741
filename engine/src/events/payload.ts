import { resolveTemplate } from '../actions/call.js';
import type { EventTriggerDef, HeaderConf, RetryConf } from './definition.js';
import type { EventRow } from './fetch.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The body Hasura POSTs for an event-trigger event, in Hasura's key order. */
export function eventPayload(row: EventRow, retry: RetryConf): Record<string, unknown> {
  return {
    id: row.id,
    table: { schema: row.schema_name, name: row.table_name },
    trigger: { name: row.trigger_name },
    event: row.payload,
    delivery_info: { max_retries: retry.numRetries, current_retry: row.tries },
    created_at: row.created_at,
  };
}

/**
 * Resolves a webhook given as a URL with `{{NAME}}` templates or as a variable name. Throws an
 * `Error` naming the variable that is not set.
 */
export function resolveWebhook(webhook: EventTriggerDef['webhook'], env: Env): string {
  if ('fromEnv' in webhook) {
    const value = env[webhook.fromEnv];
    if (value === undefined) {
      throw new Error(`environment variable "${webhook.fromEnv}" of the webhook is not set`);
    }
    return value;
  }
  return resolveTemplate(webhook.value, env);
}

/** Resolves header values, literal (with `{{NAME}}` templates) or from a variable. */
export function resolveHeaders(headers: HeaderConf[], env: Env): { name: string; value: string }[] {
  return headers.map((header) => {
    if ('value' in header) return { name: header.name, value: resolveTemplate(header.value, env) };
    const value = env[header.value_from_env];
    if (value === undefined) {
      throw new Error(
        `environment variable "${header.value_from_env}" of header "${header.name}" is not set`,
      );
    }
    return { name: header.name, value };
  });
}
