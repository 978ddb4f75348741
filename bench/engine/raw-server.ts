import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { type BenchClaims, requestRole, verifyBenchToken } from './jwt.js';

// Child process: the ceiling. Hand-written SQL through pg with the same rules as the engine's
// metadata for the three operations, on 127.0.0.1 at BENCH_PORT over BENCH_PG_URL:
// GET /pk?id=<uuid>, GET /page and GET /count (role tenant_admin). With BENCH_RAW_TRANSACTION=1
// each query runs in the engine's transaction shape instead: BEGIN READ ONLY, one set_config
// statement, the query and COMMIT, four round trips in place of one.

const connectionString = process.env.BENCH_PG_URL;
const port = Number(process.env.BENCH_PORT);
if (connectionString === undefined || !Number.isInteger(port)) {
  throw new Error('Set BENCH_PG_URL and BENCH_PORT.');
}
// The engine's pool size (engine/src/state.ts), so no server gets more connections.
const pool = new pg.Pool({ connectionString, max: 20 });
const inTransaction = process.env.BENCH_RAW_TRANSACTION === '1';

// $1 tenant, $2 user, $3 session, as the engine binds X-Hasura-* session variables.
const liveSession = `EXISTS (SELECT 1 FROM active_sessions s
  WHERE s.id = $3 AND s.user_id = $2 AND s.tenant_id = $1)`;
const userFilter = `u.tenant_id = $1 AND ${liveSession} AND (u.id = $2 OR EXISTS (
  SELECT 1 FROM user_permissions p
   WHERE p.user_id = $2 AND p.tenant_id = $1 AND p.resource = 'users' AND p.action = 'read'))`;

const byPk = `SELECT json_build_object('users_by_pk', (SELECT json_build_object(
    'id', u.id, 'email', u.email, 'first_name', u.first_name, 'last_name', u.last_name,
    'status', u.status) FROM users u WHERE u.id = $4 AND ${userFilter})) AS data`;

const page = `SELECT json_build_object('users', coalesce(json_agg(json_build_object(
    'id', u.id, 'email', u.email, 'first_name', u.first_name, 'last_name', u.last_name,
    'status', u.status, 'user_roles', (
      SELECT coalesce(json_agg(json_build_object('role', json_build_object('name', r.name))),
                      '[]')
        FROM user_roles ur JOIN roles r ON r.id = ur.role_id
         AND r.tenant_id = $1 AND ${liveSession}
       WHERE ur.user_id = u.id AND ur.tenant_id = $1 AND ${liveSession})
  ) ORDER BY u.email), '[]')) AS data
  FROM (SELECT * FROM users u WHERE ${userFilter} ORDER BY u.email LIMIT 50) u`;

const count = `SELECT json_build_object('users_aggregate', json_build_object('aggregate',
    json_build_object('count', count(*)))) AS data
  FROM users u
 WHERE u.tenant_id = $1 AND EXISTS (SELECT 1 FROM active_session_roles s
   WHERE s.id = $3 AND s.user_id = $2 AND s.tenant_id = $1 AND s.role = 'tenant_admin')`;

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body);
}

async function answer(url: URL, claims: BenchClaims, role: string): Promise<string | null> {
  const session = [
    claims['x-hasura-tenant-id'],
    claims['x-hasura-user-id'],
    claims['x-hasura-session-id'],
  ];
  let query: pg.QueryConfig;
  if (url.pathname === '/pk' && role === 'user') {
    query = { name: 'pk', text: byPk, values: [...session, url.searchParams.get('id')] };
  } else if (url.pathname === '/page' && role === 'user') {
    query = { name: 'page', text: page, values: session };
  } else if (url.pathname === '/count' && role === 'tenant_admin') {
    query = { name: 'count', text: count, values: session };
  } else {
    return null;
  }
  const result = inTransaction
    ? await queryInTransaction(query, claims)
    : await pool.query<{ data: unknown }>(query);
  return JSON.stringify({ data: result.rows[0]?.data ?? null });
}

async function queryInTransaction(query: pg.QueryConfig, claims: BenchClaims) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(
      `SELECT set_config('hasura.user', $1, true),
        set_config('statement_timeout', current_setting('statement_timeout'), true),
        pg_backend_pid() AS pid`,
      [JSON.stringify(claims)],
    );
    const result = await client.query<{ data: unknown }>(query);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const claims = verifyBenchToken(request.headers.authorization);
  if (claims === null) return send(response, 401, '{"error":"invalid-jwt"}');
  const roleHeader = request.headers['x-hasura-role'];
  const role = requestRole(claims, typeof roleHeader === 'string' ? roleHeader : undefined);
  if (role === null) return send(response, 403, '{"error":"access-denied"}');

  const body = await answer(new URL(request.url ?? '/', 'http://127.0.0.1'), claims, role);
  if (body === null) return send(response, 404, '{"error":"not-found"}');
  send(response, 200, body);
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    process.stderr.write(`Query failed: ${String(error)}\n`);
    send(response, 500, '{"error":"unexpected"}');
  });
});
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));

process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
