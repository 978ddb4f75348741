import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../tests/harness/db.js';
import { engineConfigFromEnv } from '../src/config/env.js';
import { executeGraphql } from '../src/execute/graphql-request.js';
import { prepareOperation } from '../src/execute/prepare.js';
import type { Metadata } from '../src/metadata/types.js';
import { EngineState } from '../src/state.js';
import { metadataWith } from './engine-harness.js';
import { blogSql, blogTables } from './fixtures/blog.js';

/**
 * Golden tests: each `golden/<case>.graphql` sits beside the SQL it compiles to and the
 * result it returns. `UPDATE_GOLDEN=1 npm test -- engine/test/golden` rewrites them.
 */
const dir = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
const cases = readdirSync(dir)
  .filter((file) => file.endsWith('.graphql'))
  .map((file) => file.slice(0, -'.graphql'.length));

interface Case {
  query: string;
  role: string;
  session: Record<string, string>;
  variables: Record<string, unknown>;
}

function header(text: string, name: string): string | undefined {
  return new RegExp(`^# ${name}: (.*)$`, 'm').exec(text)?.[1];
}

function readCase(name: string): Case {
  const query = readFileSync(join(dir, `${name}.graphql`), 'utf8');
  const role = header(query, 'role') ?? 'admin';
  const session = JSON.parse(header(query, 'session') ?? '{}') as Record<string, string>;
  return {
    query,
    role,
    session: { ...session, 'x-hasura-role': role },
    variables: JSON.parse(header(query, 'variables') ?? '{}'),
  };
}

function compare(file: string, actual: string): void {
  const path = join(dir, file);
  if (update) {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path))
    throw new Error(`${file} is missing: run with UPDATE_GOLDEN=1 to write it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

let db: TestDatabase;
let state: EngineState;

beforeAll(async () => {
  db = await createTestDatabase('engine-golden', { migrated: false });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(blogSql);
  await client.end();
  state = EngineState.create(
    engineConfigFromEnv({ HASURA_GRAPHQL_DATABASE_URL: db.url }),
    () => undefined,
  );
  await state.activate(metadataWith(blogTables) as Metadata, 1);
});

afterAll(async () => {
  await state.pool.end();
  await db.drop();
});

describe('compiler golden files', () => {
  it.each(cases)('%s', async (name) => {
    const golden = readCase(name);
    const roleSchema = state.roleSchema(golden.role);
    const request = { query: golden.query, variables: golden.variables };
    const { plan } = prepareOperation(state.plans, state.catalog, roleSchema, request, false);
    const statements = plan.steps.flatMap((step) =>
      'statement' in step ? [step.statement.text] : [],
    );
    compare(`${name}.sql`, `${statements.join(';\n\n')};\n`);
    const session = { role: golden.role, variables: golden.session };
    const result = await executeGraphql(state, session, request, {});
    compare(`${name}.result.json`, `${JSON.stringify(JSON.parse(result), null, 2)}\n`);
  });
});
