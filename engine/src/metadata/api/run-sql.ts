import type pg from 'pg';
import { EngineError } from '../../errors.js';
import type { Metadata } from '../types.js';
import { type Operation, type OperationContext, parseFailed } from './context.js';
import { pruneInconsistent } from './prune.js';

/** Returns every column as Postgres prints it, as `run_sql` results are text. */
const textTypes = { getTypeParser: () => (value: string) => value };

interface PostgresFailure extends Error {
  code?: string;
  hint?: string;
  detail?: string;
}

function queryFailed(error: PostgresFailure, statement: string): EngineError {
  return new EngineError('postgres-error', 'query execution failed', {
    path: '$',
    cause: error,
    extensions: {
      internal: {
        arguments: [],
        error: {
          description: error.detail ?? null,
          exec_status: 'FatalError',
          hint: error.hint ?? null,
          message: error.message,
          status_code: error.code ?? null,
        },
        prepared: false,
        statement,
      },
    },
  });
}

/**
 * Re-reads the database after SQL that may have changed it, and removes tracked objects whose
 * tables, foreign keys or functions the SQL dropped, as Hasura does after `run_sql`.
 */
async function dropVanishedObjects(context: OperationContext): Promise<void> {
  context.schemaChanged = true;
  await context.state.activate(
    structuredClone(context.draft) as Metadata,
    context.state.resourceVersion,
  );
  if (pruneInconsistent(context.draft, context.state.inconsistent)) context.changed = true;
}

/**
 * `run_sql`: runs the SQL in one transaction (read-only when asked) and returns the last
 * statement's rows as text, with the column names first.
 */
export const runSql: Operation = async (context, args) => {
  const text = args.sql;
  if (typeof text !== 'string') throw parseFailed('key "sql" not found');
  const readOnly = args.read_only === true;
  const client = await context.state.pool.connect();
  try {
    await client.query(readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
    let results: pg.QueryArrayResult | pg.QueryArrayResult[];
    try {
      results = (await client.query({ text, rowMode: 'array', types: textTypes })) as
        | pg.QueryArrayResult
        | pg.QueryArrayResult[];
    } catch (error) {
      await client.query('ROLLBACK');
      throw queryFailed(error as PostgresFailure, text);
    }
    await client.query('COMMIT');
    if (!readOnly) await dropVanishedObjects(context);
    const last = Array.isArray(results) ? results.at(-1) : results;
    if (last === undefined || last.fields.length === 0)
      return { result_type: 'CommandOk', result: null };
    return {
      result_type: 'TuplesOk',
      result: [last.fields.map((field) => field.name), ...last.rows],
    };
  } finally {
    client.release();
  }
};
