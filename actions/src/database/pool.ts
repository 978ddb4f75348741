import pg from 'pg';
import type { Logger } from 'pino';

/**
 * Opens the connection pool. An idle client that loses its connection is logged and dropped
 * instead of crashing the process, and the next query opens a new connection.
 */
export function createPool(databaseUrl: string, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    connectionTimeoutMillis: 5000,
    // The login action's timeout in hasura/metadata/actions.yaml is 10 s, so Hasura has given
    // up before a longer query could finish.
    query_timeout: 10000,
    application_name: 'acci-actions',
  });
  // pg attaches the whole client to errors of idle connections, so only message and code are
  // logged; the client would put connection details and internals into the log line.
  pool.on('error', (error: Error & { code?: string }) =>
    logger.error(
      { err: { message: error.message, code: error.code } },
      'idle database connection failed',
    ),
  );
  return pool;
}

/**
 * Runs `work` inside BEGIN and COMMIT on one client of the pool, and rolls back when it
 * throws. The rollback's own failure is dropped because the first error is the one to report.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
