import { randomBytes } from 'node:crypto';
import type { CaseEntry, CaseRequest, TestClass } from './cases.js';
import type { PassName } from './exclusions.js';
import { isObject } from './json-shape.js';
import { type Reply, sendRequest } from './request.js';

/**
 * How upstream authenticates a case. `admin` (`check_query_f`) adds the admin secret when one
 * is set and first checks that the request is refused without it. `secret-only`
 * (`check_query_secret`, `check_query_admin_secret`) adds the secret without that check.
 * `as-written` (the cases of `admin_secret` classes, run with `add_auth=False`) sends the
 * case's own headers only.
 */
export type AuthMode = 'admin' | 'secret-only' | 'as-written';

export function authMode(item: TestClass, entry: CaseEntry): AuthMode {
  if (item.adminSecretMark) {
    return 'as-written';
  }
  return entry.helper === 'check_query_f' ? 'admin' : 'secret-only';
}

/** Headers of a case request in this pass. */
export function caseHeaders(
  request: CaseRequest,
  mode: AuthMode,
  pass: PassName,
  adminSecret: string,
): Record<string, string> {
  if (pass === 'plain' || mode === 'as-written') {
    return { ...request.headers };
  }
  return { ...request.headers, 'X-Hasura-Admin-Secret': adminSecret };
}

/** Statuses upstream accepts for a refused request: GraphQL errors come with 200. */
export function refusalStatuses(request: CaseRequest): number[] {
  const path = request.url.split('?')[0];
  if (path === '/v1/graphql' || path === '/v1beta1/relay') {
    return request.status === 404 ? [404] : [200];
  }
  return [401, 404];
}

/**
 * Sends the request without the admin secret and with a wrong one. Returns one problem per
 * reply that is not refused with an accepted status and, where the body carries an error code,
 * the code `access-denied`.
 */
export async function checkRefusals(baseUrl: string, request: CaseRequest): Promise<string[]> {
  const wrongSecret = randomBytes(30).toString('base64');
  const attempts: [string, Record<string, string>][] = [
    ['without the admin secret', { ...request.headers }],
    ['with a wrong admin secret', { ...request.headers, 'X-Hasura-Admin-Secret': wrongSecret }],
  ];
  const problems: string[] = [];
  for (const [label, headers] of attempts) {
    const reply = await sendRequest(baseUrl, { ...request, headers });
    const problem = refusalProblem(request, reply);
    if (problem !== undefined) {
      problems.push(`${label}: ${problem}`);
    }
  }
  return problems;
}

function refusalProblem(request: CaseRequest, reply: Reply): string | undefined {
  const statuses = refusalStatuses(request);
  if (!statuses.includes(reply.status)) {
    return `status ${reply.status}, expected ${statuses.join(' or ')}`;
  }
  if (reply.status === 404) {
    return undefined;
  }
  const code = errorCode(reply.body);
  if (code !== 'access-denied') {
    return `error code ${JSON.stringify(code)}, expected "access-denied"`;
  }
  return undefined;
}

/** Returns the `code` of a `/v1/query` style error or of the first GraphQL error. */
export function errorCode(body: unknown): unknown {
  if (!isObject(body)) {
    return undefined;
  }
  if ('code' in body) {
    return body.code;
  }
  const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
  return isObject(first) && isObject(first.extensions) ? first.extensions.code : undefined;
}
