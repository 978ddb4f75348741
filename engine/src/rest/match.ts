import type { RestEndpoint } from '../metadata/types.js';

/** Matches a request path (after `/api/rest/`) to an endpoint, binding `:name` segments. */
export function matchEndpoint(
  endpoints: readonly RestEndpoint[],
  path: string,
): { endpoint: RestEndpoint; params: Record<string, string> }[] {
  const segments = path.split('/').filter((segment) => segment !== '');
  const matches: { endpoint: RestEndpoint; params: Record<string, string> }[] = [];
  for (const endpoint of endpoints) {
    const pattern = endpoint.url.split('/').filter((segment) => segment !== '');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((part, i) => {
      const segment = segments[i] ?? '';
      if (part.startsWith(':')) {
        params[part.slice(1)] = decodeURIComponent(segment);
        return true;
      }
      return part === segment;
    });
    if (ok) matches.push({ endpoint, params });
  }
  return matches;
}
