import { Kind, parse } from 'graphql';
import { EngineError } from '../../errors.js';
import type { Metadata, RestEndpoint } from '../types.js';

/** Returns why Hasura would reject the URL of a REST endpoint, if it would. */
function urlProblem(url: string): string | undefined {
  const segments = url.split('/');
  if (segments.some((segment) => segment === '' || segment === ':')) {
    return `Empty segments or unnamed variables are not allowed: ${url}`;
  }
  const variables = segments.filter((segment) => segment.startsWith(':'));
  if (new Set(variables).size !== variables.length) {
    return `Duplicate variables found in endpoint path: ${url}`;
  }
  return undefined;
}

/** Returns why the endpoint's query cannot be served over REST, if it cannot. */
function queryProblem(metadata: Metadata, endpoint: RestEndpoint): string | undefined {
  // The request is not validated yet, so `definition` may be missing.
  const target = (endpoint.definition as RestEndpoint['definition'] | undefined)?.query;
  if (target === undefined) return undefined;
  const { collection_name: collection, query_name: queryName } = target;
  const query = (metadata.query_collections ?? [])
    .find((item) => item.name === collection)
    ?.definition.queries.find((item) => item.name === queryName)?.query;
  if (query === undefined) return undefined;
  let isSubscription = false;
  try {
    isSubscription = parse(query).definitions.some(
      (definition) =>
        definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'subscription',
    );
  } catch {
    return undefined;
  }
  if (!isSubscription) return undefined;
  return `Inconsistent object: in endpoint ${endpoint.name}: query with name ${queryName} is a subscription`;
}

/**
 * Rejects a new REST endpoint as Hasura's `create_rest_endpoint` does: empty segments,
 * unnamed or repeated URL variables, and subscriptions.
 */
export function checkRestEndpoint(metadata: Metadata, endpoint: RestEndpoint): void {
  const reason = urlProblem(endpoint.url) ?? queryProblem(metadata, endpoint);
  if (reason === undefined) return;
  throw new EngineError('invalid-configuration', reason, {
    path: '$.args',
    extensions: {
      internal: [
        {
          definition: { comment: null, ...endpoint },
          reason,
          name: `rest_endpoint ${endpoint.name}`,
          type: 'rest_endpoint',
        },
      ],
    },
  });
}
