import type { Request, Response } from 'express';
import type pg from 'pg';

/** Responds 200 `{"status":"ok"}` when the database runs `SELECT 1`, else 503. */
export function healthHandler(pool: pg.Pool) {
  return async (_request: Request, response: Response): Promise<void> => {
    response.set('cache-control', 'no-store');
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      response.locals.context.logger.error({ err: error }, 'health check query failed');
      response.status(503).json({ status: 'unavailable' });
      return;
    }
    response.json({ status: 'ok' });
  };
}
