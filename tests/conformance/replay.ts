import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { authMode } from './auth.js';
import { runCase } from './case-run.js';
import {
  type CaseEntry,
  type CaseRequest,
  loadCaseFile,
  type SetupFile,
  type TestClass,
} from './cases.js';
import { type ClassDatabase, createClassDatabase, type DatabaseServer } from './database.js';
import { type RunningEngine, startEngineWith } from './engine.js';
import { caseExclusion, classExclusion, type PassName } from './exclusions.js';
import { sendRequest } from './request.js';
import { type CaseResult, caseId } from './results.js';
import type { ActionWebhook } from './webhook.js';

/** What every class of a run shares. */
export interface RunContext {
  folder: string;
  server: DatabaseServer;
  webhook: ActionWebhook;
  adminSecret: string;
  /** `HASURA_GRAPHQL_JWT_SECRET` for classes that need JWT mode configured. */
  jwtSecret: string;
}

/** A class's results and any trouble outside its cases (a teardown that failed). */
export interface ClassReport {
  results: CaseResult[];
  notes: string[];
}

interface LoadedCase {
  entry: CaseEntry;
  requests?: CaseRequest[];
  excluded?: string;
}

/**
 * Replays one class in one pass: a fresh database and engine, class setup, every case between
 * its per-case setup and teardown, then class teardown. A failed class setup fails every case.
 */
export async function replayClass(
  item: TestClass,
  pass: PassName,
  context: RunContext,
): Promise<ClassReport> {
  const make = resultMaker(item, pass);
  const pythonOnly = item.pythonOnlyTests.map((test) =>
    make(test, 'excluded', 'upstream asserts this test in Python; it has no YAML case'),
  );
  const classReason = classExclusion(item, pass);
  if (classReason !== undefined) {
    return {
      results: [
        ...item.cases.map((entry) => make(entry.path, 'excluded', classReason)),
        ...pythonOnly,
      ],
      notes: [],
    };
  }
  const cases = item.cases.map((entry) =>
    item.mixedPythonTests.includes(entry.test)
      ? { entry, excluded: 'upstream runs Python steps around this YAML case' }
      : loadCase(context.folder, entry),
  );
  const runnable = cases.filter((loaded) => loaded.requests !== undefined);
  const excluded = cases
    .filter((loaded) => loaded.requests === undefined)
    .map((loaded) => make(loaded.entry.path, 'excluded', loaded.excluded ?? 'not loaded'));
  if (runnable.length === 0) {
    return { results: [...excluded, ...pythonOnly], notes: [] };
  }
  const report = await withClassServer(item, pass, context, (engine) =>
    replayCases(item, pass, context, engine, runnable),
  );
  return { results: [...report.results, ...excluded, ...pythonOnly], notes: report.notes };
}

function loadCase(folder: string, entry: CaseEntry): LoadedCase {
  try {
    const requests = loadCaseFile(folder, entry.path);
    const excluded = caseExclusion(requests);
    return excluded === undefined ? { entry, requests } : { entry, excluded };
  } catch (error) {
    return { entry, excluded: error instanceof Error ? error.message : String(error) };
  }
}

type Make = (path: string, outcome: CaseResult['outcome'], reason?: string) => CaseResult;

function resultMaker(item: TestClass, pass: PassName): Make {
  return (path, outcome, reason) => ({
    id: caseId(item.id, path, pass),
    classId: item.id,
    dir: item.dir,
    path,
    pass,
    outcome,
    messageMatch: null,
    ...(reason === undefined ? {} : { reason }),
    requests: [],
  });
}

/**
 * Creates the class's database, starts its engine and runs `work`, then stops the engine and
 * drops the database whatever happened. A failure to start fails every runnable case.
 */
async function withClassServer(
  item: TestClass,
  pass: PassName,
  context: RunContext,
  work: (engine: RunningEngine) => Promise<ClassReport>,
): Promise<ClassReport> {
  let database: ClassDatabase | undefined;
  let engine: RunningEngine | undefined;
  try {
    database = await createClassDatabase(context.server, `${item.id}_${pass}`);
    engine = await startEngineWith(engineEnv(item, pass, context, database));
    context.webhook.target = {
      url: engine.url,
      ...(pass === 'admin-secret' ? { adminSecret: context.adminSecret } : {}),
    };
    return await work(engine);
  } catch (error) {
    const reason = `class could not start: ${error instanceof Error ? error.message : String(error)}`;
    const make = resultMaker(item, pass);
    return {
      results: item.cases.map((entry) => make(entry.path, 'failed', reason)),
      notes: [reason],
    };
  } finally {
    context.webhook.target = undefined;
    await engine?.close().catch((error: unknown) => console.error('Engine did not close:', error));
    await database?.drop().catch((error: unknown) => console.error('Database not dropped:', error));
  }
}

function engineEnv(
  item: TestClass,
  pass: PassName,
  context: RunContext,
  database: ClassDatabase,
): Record<string, string> {
  const env: Record<string, string> = {
    HASURA_GRAPHQL_DATABASE_URL: database.engineUrl,
    HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES: 'true',
    // The engine resolves `{{NAME}}` templates in metadata from the environment it is given.
    ACTION_WEBHOOK_HANDLER: context.webhook.url,
    ...item.hgeEnv,
  };
  if (pass === 'admin-secret') {
    env.HASURA_GRAPHQL_ADMIN_SECRET = context.adminSecret;
  }
  if (item.needsServers.includes('jwt-keys')) {
    env.HASURA_GRAPHQL_JWT_SECRET = context.jwtSecret;
  }
  return env;
}

async function replayCases(
  item: TestClass,
  pass: PassName,
  context: RunContext,
  engine: RunningEngine,
  cases: LoadedCase[],
): Promise<ClassReport> {
  const make = resultMaker(item, pass);
  const setup = (scope: SetupFile['scope'], phase: SetupFile['phase']) =>
    item.setup.filter((file) => file.scope === scope && file.phase === phase);
  const post = (files: SetupFile[]) => postSetupFiles(engine.url, files, pass, context);
  const classSetupError = await post(setup('class', 'setup'));
  if (classSetupError !== undefined) {
    const reason = `class setup failed: ${classSetupError}`;
    return {
      results: cases.map((loaded) => make(loaded.entry.path, 'failed', reason)),
      notes: [reason],
    };
  }
  const results: CaseResult[] = [];
  const notes: string[] = [];
  for (const loaded of cases) {
    results.push(await replayOneCase(item, pass, context, engine, loaded, post, setup));
    const error = await post(setup('method', 'teardown'));
    if (error !== undefined) {
      notes.push(`per-case teardown after "${loaded.entry.path}" failed: ${error}`);
    }
  }
  const teardownError = await post(setup('class', 'teardown'));
  if (teardownError !== undefined) {
    notes.push(`class teardown failed: ${teardownError}`);
  }
  return { results, notes };
}

async function replayOneCase(
  item: TestClass,
  pass: PassName,
  context: RunContext,
  engine: RunningEngine,
  loaded: LoadedCase,
  post: (files: SetupFile[]) => Promise<string | undefined>,
  setup: (scope: SetupFile['scope'], phase: SetupFile['phase']) => SetupFile[],
): Promise<CaseResult> {
  const result = resultMaker(item, pass)(loaded.entry.path, 'failed');
  const setupError = await post(setup('method', 'setup'));
  if (setupError !== undefined) {
    result.reason = `per-case setup failed: ${setupError}`;
    return result;
  }
  const mode = authMode(item, loaded.entry);
  const outcome = await runCase(engine.url, loaded.requests ?? [], {
    mode,
    pass,
    adminSecret: context.adminSecret,
  });
  result.outcome = outcome.strict ? 'passed' : 'failed';
  result.messageMatch = outcome.message;
  result.requests = outcome.requests;
  return result;
}

/** POSTs setup or teardown files in order; returns the first failure, or undefined. */
async function postSetupFiles(
  baseUrl: string,
  files: SetupFile[],
  pass: PassName,
  context: RunContext,
): Promise<string | undefined> {
  const headers: Record<string, string> =
    pass === 'admin-secret' ? { 'X-Hasura-Admin-Secret': context.adminSecret } : {};
  for (const file of files) {
    let query: unknown;
    try {
      query = parse(readFileSync(join(context.folder, file.path), 'utf8'), { schema: 'core' });
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
        continue; // Upstream skips setup files that do not exist.
      }
      return `"${file.path}" could not be read: ${String(error)}`;
    }
    try {
      const reply = await sendRequest(baseUrl, { url: file.endpoint, headers, query });
      if (reply.status < 200 || reply.status > 299) {
        const body = JSON.stringify(reply.body).slice(0, 500);
        return `"${file.path}" on ${file.endpoint} returned ${reply.status}: ${body}`;
      }
    } catch (error) {
      return `"${file.path}" on ${file.endpoint} failed: ${String(error)}`;
    }
  }
  return undefined;
}
