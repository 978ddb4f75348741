import { createHash } from 'node:crypto';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import type pg from 'pg';
import type { OperationPlan, RootStep, Statement } from '../compile/plan.js';
import { EngineError } from '../errors.js';
import type { RoleSchema } from '../schema/build.js';
import { runIntrospection } from './introspect-step.js';
import { resolveParams } from './params.js';
import { fromPostgresError } from './pg-errors.js';
import { dataResponse } from './response.js';
import type { Session } from './session.js';

/** Calls an action handler and returns the selected output as JSON text. */
export type ActionRunner = (
  step: Extract<RootStep, { kind: 'action' }>,
  variables: Record<string, unknown>,
) => Promise<string>;

export interface RunInput {
  pool: pg.Pool;
  roleSchema: RoleSchema;
  plan: OperationPlan;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  session: Session;
  runAction: ActionRunner;
  /** Postgres `statement_timeout` of the transaction in ms, or undefined for the server's. */
  statementTimeoutMs: number | undefined;
  /** Aborted when the client goes away, which cancels the running statement. */
  signal: AbortSignal | undefined;
  /** Cancels the statement running on backend `pid`, over a connection of its own. */
  cancelBackend: (pid: number) => Promise<void>;
}

function statementName(text: string): string {
  return `acci_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}

async function runStatement(
  client: pg.PoolClient,
  statement: Statement,
  input: RunInput,
  path: string,
) {
  const values = resolveParams(statement.params, input.session, input.variables);
  try {
    const result = await client.query<{ root: string | null; check_ok?: boolean }>({
      name: statementName(statement.text),
      text: statement.text,
      values,
    });
    return result.rows[0];
  } catch (error) {
    throw fromPostgresError(error, path);
  }
}

function checkOperands(input: RunInput): void {
  for (const check of input.plan.operandChecks) {
    const value = input.variables[check.name];
    if (value === null || value === undefined) {
      throw new EngineError(
        'validation-failed',
        `unexpected null value for type '${check.typeName}'`,
        {
          path: check.path,
          status: 200,
        },
      );
    }
  }
}

/**
 * Runs a compiled operation in one transaction with `hasura.user` set to the session
 * variables, read-only for queries, and returns the response JSON text.
 */
export async function runOperation(input: RunInput): Promise<string> {
  checkOperands(input);
  const isMutation = input.plan.operation === 'mutation';
  const needsDatabase = input.plan.steps.some(
    (step) => step.kind === 'sql' || step.kind === 'mutation' || step.kind === 'mutation-list',
  );
  const parts: [string, string][] = [];
  if (!needsDatabase) {
    for (const step of input.plan.steps) parts.push([step.key, await runOtherStep(step, input)]);
    return dataResponse(parts);
  }
  throwIfAborted(input.signal);
  const client = await input.pool.connect();
  const watch = new CancelWatch(input);
  try {
    throwIfAborted(input.signal);
    await client.query(isMutation ? 'BEGIN' : 'BEGIN READ ONLY');
    const setup = await client.query<{ pid: number }>(
      `SELECT set_config('hasura.user', $1, true),
        set_config('statement_timeout', coalesce($2, current_setting('statement_timeout')), true),
        pg_backend_pid() AS pid`,
      [JSON.stringify(input.session.variables), input.statementTimeoutMs?.toString() ?? null],
    );
    watch.start(setup.rows[0]?.pid);
    for (const step of input.plan.steps) {
      throwIfAborted(input.signal);
      if (step.kind === 'sql' || step.kind === 'mutation') {
        const path = step.kind === 'mutation' ? step.errorPath : '$';
        const row = await runStatement(client, step.statement, input, path);
        if (step.kind === 'mutation' && step.checked && row?.check_ok !== true) {
          throw new EngineError(
            'permission-error',
            'check constraint of an insert/update permission has failed',
            { path, status: 200 },
          );
        }
        const output =
          step.kind === 'mutation' && step.followUp !== undefined
            ? await runStatement(client, step.followUp, input, path)
            : row;
        parts.push([step.key, output?.root ?? 'null']);
      } else if (step.kind === 'mutation-list') {
        parts.push([step.key, await runMutationList(client, step, input)]);
      } else {
        parts.push([step.key, await runOtherStep(step, input)]);
      }
    }
    await client.query('COMMIT');
    return dataResponse(parts);
  } catch (error) {
    // A cancel still on its way could hit the next user of this connection, so wait for it.
    await watch.stop();
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await watch.stop();
    client.release();
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new EngineError('unexpected', 'the client closed the connection', { status: 200 });
  }
}

/** Cancels the backend's running statement when the request's signal aborts. */
class CancelWatch {
  private pending: Promise<void> | undefined;
  private stopListening: (() => void) | undefined;

  constructor(private readonly input: RunInput) {}

  start(pid: number | undefined): void {
    const signal = this.input.signal;
    if (signal === undefined || pid === undefined) return;
    const cancel = () => {
      this.pending = this.input.cancelBackend(pid);
    };
    signal.addEventListener('abort', cancel, { once: true });
    this.stopListening = () => signal.removeEventListener('abort', cancel);
  }

  async stop(): Promise<void> {
    this.stopListening?.();
    this.stopListening = undefined;
    await this.pending;
  }
}

/** Runs the statements of `update_<table>_many` in order and returns their outputs as a list. */
async function runMutationList(
  client: pg.PoolClient,
  step: Extract<RootStep, { kind: 'mutation-list' }>,
  input: RunInput,
): Promise<string> {
  const outputs: string[] = [];
  for (const item of step.statements) {
    const row = await runStatement(client, item.statement, input, '$');
    if (item.checked && row?.check_ok !== true) {
      throw new EngineError(
        'permission-error',
        'check constraint of an insert/update permission has failed',
        {
          path: '$',
          status: 200,
        },
      );
    }
    outputs.push(row?.root ?? 'null');
  }
  return `[${outputs.join(',')}]`;
}

async function runOtherStep(step: RootStep, input: RunInput): Promise<string> {
  switch (step.kind) {
    case 'typename':
      return JSON.stringify(step.value);
    case 'introspection':
      return runIntrospection(
        input.roleSchema,
        input.document,
        input.operation,
        step.key,
        step.nodes,
        input.variables,
      );
    case 'action':
      return input.runAction(step, input.variables);
    case 'sql':
    case 'mutation':
    case 'mutation-list':
      throw new Error('database steps run inside the transaction');
  }
}
