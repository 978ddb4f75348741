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
    (step) => step.kind === 'sql' || step.kind === 'mutation',
  );
  const parts: [string, string][] = [];
  if (!needsDatabase) {
    for (const step of input.plan.steps) parts.push([step.key, await runOtherStep(step, input)]);
    return dataResponse(parts);
  }
  const client = await input.pool.connect();
  try {
    await client.query(isMutation ? 'BEGIN' : 'BEGIN READ ONLY');
    await client.query("SELECT set_config('hasura.user', $1, true)", [
      JSON.stringify(input.session.variables),
    ]);
    for (const step of input.plan.steps) {
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
        parts.push([step.key, row?.root ?? 'null']);
      } else {
        parts.push([step.key, await runOtherStep(step, input)]);
      }
    }
    await client.query('COMMIT');
    return dataResponse(parts);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
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
      throw new Error('database steps run inside the transaction');
  }
}
