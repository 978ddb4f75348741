/**
 * Replays Hasura's own test cases against the engine and scores it.
 *
 *   tsx tests/conformance/run.ts [casesFolder] [--only DIR-substring] [--json report.json]
 *                                [--update-expected]
 *
 * The case folder defaults to `../shared/hasura-tests` beside the repository. Exits 0 when every
 * case of `expected-passes.json` passed (or the folder is absent), 1 otherwise.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CLASSES_FILE, loadClasses, type TestClass } from './cases.js';
import { type DatabaseServer, prepareServer, serverUrlFromEnv } from './database.js';
import { startDebianPostgres } from './debian-postgres.js';
import type { PassName } from './exclusions.js';
import { lostPasses, readExpectedPasses, writeExpectedPasses } from './expected.js';
import { type ClassReport, type RunContext, replayClass } from './replay.js';
import {
  directoryRows,
  failureCauses,
  formatExclusions,
  formatTable,
  type JsonReport,
  writeJsonReport,
} from './report.js';
import type { CaseResult } from './results.js';
import { startActionWebhook } from './webhook.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '../..');
const EXPECTED_FILE = join(HERE, 'expected-passes.json');
const PASSES: PassName[] = ['plain', 'admin-secret'];

interface Options {
  folder: string;
  only?: string;
  jsonPath: string;
  updateExpected: boolean;
}

function readOptions(): Options {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      only: { type: 'string' },
      json: { type: 'string' },
      'update-expected': { type: 'boolean', default: false },
    },
  });
  return {
    folder: resolve(positionals[0] ?? join(REPO_ROOT, '../shared/hasura-tests')),
    ...(values.only === undefined ? {} : { only: values.only }),
    jsonPath: resolve(values.json ?? join(HERE, 'report.json')),
    updateExpected: values['update-expected'] === true,
  };
}

async function main(): Promise<number> {
  const options = readOptions();
  if (!existsSync(options.folder)) {
    console.log(`Skipping the conformance run: no case folder at ${options.folder}.`);
    return 0;
  }
  if (!existsSync(join(options.folder, CLASSES_FILE))) {
    console.error(`No ${CLASSES_FILE} in ${options.folder}; pass the folder of Hasura's cases.`);
    return 1;
  }
  const classes = loadClasses(options.folder).filter(
    (item) => options.only === undefined || item.dir.includes(options.only),
  );
  const given = serverUrlFromEnv(process.env);
  const own = given === undefined ? await startDebianPostgres() : undefined;
  try {
    return await replayWith(options, classes, given ?? own?.url ?? '');
  } finally {
    await own?.stop();
  }
}

async function replayWith(options: Options, classes: TestClass[], url: string): Promise<number> {
  const server = await connect(url);
  if (server === undefined) {
    return 1;
  }
  const startedAt = new Date().toISOString();
  const reports = await replayAll(classes, server, options.folder);
  const results = reports.flatMap(([, report]) => report.results);
  const notes = Object.fromEntries(
    reports
      .filter(([, report]) => report.notes.length > 0)
      .map(([key, report]) => [key, report.notes]),
  );
  printSummary(results);
  const report = buildReport(options.folder, startedAt, results, notes);
  writeJsonReport(options.jsonPath, report);
  console.log(`JSON report: ${options.jsonPath}`);
  return finish(options, results);
}

async function connect(url: string): Promise<DatabaseServer | undefined> {
  try {
    const server = await prepareServer(url);
    if (!server.postgis) {
      console.error('Warning: the server has no postgis extension; cases using geometry fail.');
    }
    if (!server.monetaryLocale) {
      console.error(
        "Warning: the server rejects lc_monetary 'en_US.utf-8', so classes whose setup sets it " +
          'fail. Generate the locale (locale-gen en_US.UTF-8) and restart PostgreSQL.',
      );
    }
    return server;
  } catch (error) {
    const redacted = new URL(url);
    redacted.password = redacted.password === '' ? '' : '***';
    console.error(
      `No PostgreSQL server reachable at ${redacted.toString()}: ${String(error)}\n` +
        'Set CONFORMANCE_DATABASE_URL to a superuser connection string of a server with ' +
        'citext, ltree, pgcrypto and, ideally, postgis.',
    );
    return undefined;
  }
}

async function replayAll(
  classes: TestClass[],
  server: DatabaseServer,
  folder: string,
): Promise<[string, ClassReport][]> {
  const webhook = await startActionWebhook();
  // Each engine also gets the URL in its own environment. This covers code that reads the process.
  process.env.ACTION_WEBHOOK_HANDLER = webhook.url;
  const context: RunContext = {
    folder,
    server,
    webhook,
    adminSecret: randomBytes(24).toString('hex'),
    jwtSecret: jwtSecret(),
  };
  const reports: [string, ClassReport][] = [];
  try {
    for (const pass of PASSES) {
      for (const item of classes) {
        const report = await replayClass(item, pass, context);
        reports.push([`${item.id} [${pass}]`, report]);
        console.error(progressLine(item, pass, report.results));
      }
    }
  } finally {
    await webhook.close();
  }
  return reports;
}

/** Builds an RS512 JWT configuration for classes that run in JWT mode. No token is signed. */
function jwtSecret(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return JSON.stringify({ type: 'RS512', key });
}

function progressLine(item: TestClass, pass: PassName, results: CaseResult[]): string {
  const count = (outcome: CaseResult['outcome']) =>
    results.filter((result) => result.outcome === outcome).length;
  return `[${pass}] ${item.id}: ${count('passed')} passed, ${count('failed')} failed, ${count('excluded')} excluded`;
}

function printSummary(results: CaseResult[]): void {
  console.log(formatTable(directoryRows(results)));
  console.log('');
  console.log(formatExclusions(results));
  const causes = failureCauses(results).slice(0, 20);
  if (causes.length > 0) {
    console.log('\nMost frequent failure causes:');
    for (const [cause, count] of causes) {
      console.log(`  ${String(count).padStart(4)}  ${cause}`);
    }
  }
}

function buildReport(
  folder: string,
  startedAt: string,
  results: CaseResult[],
  notes: Record<string, string[]>,
): JsonReport {
  const count = (outcome: CaseResult['outcome']) =>
    results.filter((result) => result.outcome === outcome).length;
  return {
    folder,
    startedAt,
    finishedAt: new Date().toISOString(),
    passes: PASSES,
    totals: {
      passed: count('passed'),
      failed: count('failed'),
      excluded: count('excluded'),
      messagesMatched: results.filter((result) => result.messageMatch === true).length,
    },
    directories: directoryRows(results),
    notes,
    results,
  };
}

function finish(options: Options, results: CaseResult[]): number {
  const expected = readExpectedPasses(EXPECTED_FILE);
  const passed = results.filter((result) => result.outcome === 'passed').length;
  const failed = results.filter((result) => result.outcome === 'failed').length;
  if (options.updateExpected) {
    writeExpectedPasses(EXPECTED_FILE, expected, results);
    console.log(`Rewrote ${EXPECTED_FILE} from this run.`);
  }
  const lost = options.updateExpected ? [] : lostPasses(expected, results);
  if (lost.length > 0) {
    console.log(`\n${lost.length} expected passes failed:`);
    for (const id of lost) {
      console.log(`  ${id}`);
    }
  }
  // Worded unlike a test runner's closing line: failures here are scored, not fatal, so CI
  // must judge the run by the expected passes and the exit code alone.
  console.log(`\nConformance: ${passed} case runs passed and ${failed} failed.`);
  return lost.length > 0 ? 1 : 0;
}

// The engine runs in this process. An error it leaves unhandled is logged and the run goes on,
// because the affected cases then fail on their own.
process.on('unhandledRejection', (error) => console.error('Unhandled rejection:', error));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('Conformance run failed:', error);
    process.exit(1);
  },
);
