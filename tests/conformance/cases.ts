import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import {
  asObject,
  isObject,
  isPythonFalsy,
  type JsonObject,
  objectList,
  stringField,
  stringList,
  stringMap,
} from './json-shape.js';

/** A setup or teardown file of a class, POSTed to `endpoint` once per class or around each case. */
export interface SetupFile {
  endpoint: string;
  path: string;
  scope: 'class' | 'method';
  phase: 'setup' | 'teardown';
}

/** One upstream test method that replays a YAML case file. */
export interface CaseEntry {
  path: string;
  test: string;
  /** Upstream helper: `check_query_f`, or `check_query_secret` and `check_query_admin_secret`. */
  helper: string;
  urls: string[];
}

/** One upstream test class as `classes.json` describes it. */
export interface TestClass {
  id: string;
  area: string;
  dir: string;
  transports: string[];
  /** Upstream `@pytest.mark.admin_secret`: the class only runs with an admin secret set. */
  adminSecretMark: boolean;
  hgeEnv: Record<string, string>;
  needsServers: string[];
  reasons: string[];
  setup: SetupFile[];
  pythonOnlyTests: string[];
  mixedPythonTests: string[];
  cases: CaseEntry[];
  /** Set on classes built from `supplement-2022/` when no setup files exist for them. */
  missingSetup?: string;
}

/** One HTTP request of a case file with the reply upstream expects. */
export interface CaseRequest {
  description: string;
  url: string;
  status: number;
  /** `GET`, `DELETE`, `POSTJSON` (JSON `body`), `POST`/`PUT`/`PATCH` (form `body`) or absent. */
  method?: string;
  headers: Record<string, string>;
  query: unknown;
  body?: unknown;
  /** Absent when upstream checks the status only (a missing or empty `response`). */
  response?: unknown;
  /** Replies any one of which passes, used where PostgreSQL versions word errors differently. */
  allowedResponses?: unknown[];
  responseHeaders?: Record<string, string>;
}

export const CLASSES_FILE = 'classes.json';

/** Reads every class of `classes.json` plus the classes that replay `supplement-2022/`. */
export function loadClasses(folder: string): TestClass[] {
  const where = join(folder, CLASSES_FILE);
  const root = asObject(JSON.parse(readFileSync(where, 'utf8')), where);
  const classes = objectList(root, 'classes', where).map((raw, index) =>
    readClass(raw, `${where} classes[${index}]`),
  );
  return [...classes, ...supplementClasses(root, classes, folder)];
}

function readClass(raw: JsonObject, where: string): TestClass {
  return {
    id: stringField(raw, 'id', where),
    area: stringField(raw, 'area', where),
    dir: stringField(raw, 'dir', where),
    transports: stringList(raw, 'transports', where),
    adminSecretMark: raw.admin_secret_mark === true,
    hgeEnv: stringMap(raw.hge_env, `${where}.hge_env`),
    needsServers: stringList(raw, 'needs_servers', where),
    reasons: stringList(raw, 'reasons', where),
    setup: objectList(raw, 'setup', where).map((item) => readSetupFile(item, where)),
    pythonOnlyTests: stringList(raw, 'python_only_tests', where),
    mixedPythonTests: stringList(raw, 'mixed_python_tests', where),
    cases: objectList(raw, 'cases', where).map((item) => ({
      path: stringField(item, 'path', where),
      test: stringField(item, 'test', where),
      helper: stringField(item, 'helper', where),
      urls: stringList(item, 'urls', where),
    })),
  };
}

function readSetupFile(raw: JsonObject, where: string): SetupFile {
  const scope = stringField(raw, 'scope', where);
  const phase = stringField(raw, 'phase', where);
  if ((scope !== 'class' && scope !== 'method') || (phase !== 'setup' && phase !== 'teardown')) {
    throw new TypeError(`Unknown setup scope "${scope}" or phase "${phase}" at ${where}.`);
  }
  return {
    endpoint: stringField(raw, 'endpoint', where),
    path: stringField(raw, 'path', where),
    scope,
    phase,
  };
}

/**
 * Groups the `supplement-2022/` files by their original directory. Each group borrows the setup
 * of the first upstream class of that directory. A group whose setup is described but whose
 * files are not in the folder keeps the description in `missingSetup`, so the run can exclude it.
 */
function supplementClasses(root: JsonObject, classes: TestClass[], folder: string): TestClass[] {
  const supplement = root.supplement_2022;
  if (!isObject(supplement)) {
    return [];
  }
  const groups = new Map<string, TestClass>();
  for (const file of objectList(supplement, 'files', CLASSES_FILE)) {
    const path = stringField(file, 'path', 'supplement_2022.files');
    const dir = dirname(stringField(file, 'original_path', 'supplement_2022.files'));
    const setupText = typeof file.setup === 'string' ? file.setup : '';
    let group = groups.get(dir);
    if (group === undefined) {
      group = supplementClass(dir, setupText, classes, folder);
      groups.set(dir, group);
    }
    const test = path.slice(path.lastIndexOf('/') + 1).replace(/\.yaml$/, '');
    group.cases.push({ path, test, helper: 'check_query_f', urls: [] });
  }
  return [...groups.values()];
}

function supplementClass(
  dir: string,
  setupText: string,
  classes: TestClass[],
  folder: string,
): TestClass {
  const borrowed = classes.find((item) => item.dir === dir);
  const setup = borrowed?.setup ?? [];
  const base: TestClass = {
    id: `supplement-2022::${dir}`,
    area: borrowed?.area ?? 'supplement-2022',
    dir: `supplement-2022/${dir}`,
    transports: ['http'],
    adminSecretMark: false,
    hgeEnv: {},
    needsServers: [],
    reasons: [],
    setup,
    pythonOnlyTests: [],
    mixedPythonTests: [],
    cases: [],
  };
  const needsSetup = !/no setup/i.test(setupText);
  const present = setup.some((file) => existsSync(join(folder, file.path)));
  if (needsSetup && !present) {
    base.missingSetup = setupText;
  }
  return base;
}

/** Raised when a case file cannot be read as the list of requests upstream replays. */
export class CaseFileError extends Error {
  override readonly name = 'CaseFileError';
}

/**
 * Reads a case file: one request or a list of requests run in order. YAML is read with the
 * 1.2 core schema, which matches what PyYAML makes of these files (the `yaml` package's 1.1
 * schema reads a bare `e2` as a number).
 */
export function loadCaseFile(folder: string, path: string): CaseRequest[] {
  const text = readFileSync(join(folder, path), 'utf8');
  let parsed: unknown;
  try {
    parsed = parse(text, { schema: 'core', uniqueKeys: false, prettyErrors: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CaseFileError(
      `Case file "${path}" is not valid YAML for the yaml package: ${reason}`,
    );
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((item, index) => readRequest(asObject(item, `${path}[${index}]`), path));
}

function readRequest(raw: JsonObject, path: string): CaseRequest {
  const request: CaseRequest = {
    description: typeof raw.description === 'string' ? raw.description : '',
    url: stringField(raw, 'url', path),
    status: typeof raw.status === 'number' ? raw.status : 200,
    headers: stringMap(raw.headers, `${path}.headers`),
    query: raw.query,
  };
  if (typeof raw.method === 'string') {
    request.method = raw.method;
  }
  if (raw.body !== undefined) {
    request.body = raw.body;
  }
  if (!isPythonFalsy(raw.response)) {
    request.response = raw.response;
  }
  if (Array.isArray(raw.allowed_responses)) {
    request.allowedResponses = raw.allowed_responses.map(
      (item, index) => asObject(item, `${path}.allowed_responses[${index}]`).response,
    );
  }
  if (raw.resp_headers !== undefined) {
    request.responseHeaders = stringMap(raw.resp_headers, `${path}.resp_headers`);
  }
  return request;
}
