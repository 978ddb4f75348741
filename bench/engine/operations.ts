import autocannon from 'autocannon';

/** One HTTP request of an operation against one server. */
export interface Request {
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/** The three operations as each server spells them. */
export type OperationName = 'row by primary key' | 'page of 50 users' | 'count of users';

const pagePostGraphile = `{ allUsers(orderBy: EMAIL_ASC, first: 50) { nodes {
  rowId email firstName lastName status
  userRolesByUserId { nodes { roleByRoleId { name } } } } } }`;
const pageEngine = `{ users(order_by: {email: asc}, limit: 50) {
  id email first_name last_name status user_roles { role { name } } } }`;

function graphql(path: string, token: string, query: string, variables: object, role?: string) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  };
  if (role !== undefined) headers['x-hasura-role'] = role;
  return { path, method: 'POST', headers, body: JSON.stringify({ query, variables }) } as const;
}

/** Requests of the engine (`/v1/graphql`). */
export function engineRequests(token: string, id: string): Record<OperationName, Request> {
  const path = '/v1/graphql';
  return {
    'row by primary key': graphql(
      path,
      token,
      'query ($id: uuid!) { users_by_pk(id: $id) { id email first_name last_name status } }',
      { id },
    ),
    'page of 50 users': graphql(path, token, pageEngine, {}),
    'count of users': graphql(
      path,
      token,
      '{ users_aggregate { aggregate { count } } }',
      {},
      'tenant_admin',
    ),
  };
}

/** Requests of PostGraphile (`/graphql`), with RLS doing the tenant filter. */
export function postGraphileRequests(token: string, id: string): Record<OperationName, Request> {
  const path = '/graphql';
  return {
    'row by primary key': graphql(
      path,
      token,
      'query ($id: UUID!) { userByRowId(rowId: $id) { rowId email firstName lastName status } }',
      { id },
    ),
    'page of 50 users': graphql(path, token, pagePostGraphile, {}),
    'count of users': graphql(path, token, '{ allUsers { totalCount } }', {}, 'tenant_admin'),
  };
}

/** Requests of the raw SQL server. */
export function rawRequests(token: string, id: string): Record<OperationName, Request> {
  const headers = { authorization: `Bearer ${token}` };
  return {
    'row by primary key': { path: `/pk?id=${id}`, method: 'GET', headers },
    'page of 50 users': { path: '/page', method: 'GET', headers },
    'count of users': {
      path: '/count',
      method: 'GET',
      headers: { ...headers, 'x-hasura-role': 'tenant_admin' },
    },
  };
}

/** Sends one request and returns the parsed JSON body; throws on a non-200 status. */
export async function sendOnce(baseUrl: string, request: Request): Promise<unknown> {
  const response = await fetch(`${baseUrl}${request.path}`, request);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${request.path}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

/** Load figures of one run. */
export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

/** Runs autocannon against `baseUrl` for `seconds` with `connections`; throws on any error. */
export async function load(
  baseUrl: string,
  request: Request,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url: `${baseUrl}${request.path}`,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${request.path}: ${result.non2xx} non-2xx, ${result.errors} errors, ` +
        `${result.timeouts} timeouts.`,
    );
  }
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}
