import type { DeliveryContext } from './events.js';

/** Raised by `context.graphql` for a failed request or a response with `errors`. */
export class GraphqlRequestError extends Error {
  readonly errors: unknown[];

  constructor(message: string, errors: unknown[] = []) {
    super(message);
    this.name = 'GraphqlRequestError';
    this.errors = errors;
  }
}

/** Settings and helpers of one delivery, passed to a hook handler beside the event. */
export interface PluginContext {
  tenantId: string;
  installationId: string;
  plugin: { name: string; version: string };
  /** The installation's configuration, valid against the manifest's `configSchema`. */
  config: Record<string, unknown>;
  /** Short-lived `plugin` role token of this delivery, for GraphQL calls of your own. */
  token: string;
  /**
   * Runs a GraphQL operation with the delivery's credential and returns `data`. Throws a
   * `GraphqlRequestError` when no endpoint is known, the status is not 200 or `errors` is set.
   */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<T>;
}

/** Builds the context of one delivery; `fallbackUrl` serves when the delivery names no URL. */
export function createPluginContext(acci: DeliveryContext, fallbackUrl?: string): PluginContext {
  const endpoint = acci.graphqlUrl ?? fallbackUrl;
  return {
    tenantId: acci.tenantId,
    installationId: acci.installationId,
    plugin: acci.plugin,
    config: acci.config,
    token: acci.credential.token,
    async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      if (endpoint === undefined) {
        throw new GraphqlRequestError(
          'No GraphQL endpoint: set ACCI_GRAPHQL_URL on the platform or graphqlUrl on the server.',
        );
      }
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${acci.credential.token}`,
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status !== 200) {
        throw new GraphqlRequestError(`GraphQL request failed with HTTP ${response.status}.`);
      }
      const body = (await response.json()) as { data?: T; errors?: unknown[] };
      if (body.errors !== undefined && body.errors.length > 0) {
        throw new GraphqlRequestError(
          `GraphQL request failed: ${JSON.stringify(body.errors)}`,
          body.errors,
        );
      }
      return body.data as T;
    },
  };
}
