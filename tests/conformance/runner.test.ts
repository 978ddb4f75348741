import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { refusalStatuses } from './auth.js';
import { compareReply } from './case-run.js';
import { CaseFileError, type CaseRequest, loadCaseFile, loadClasses } from './cases.js';
import { compareBodies, type Difference, verdicts } from './compare.js';
import { classExclusion } from './exclusions.js';
import { lostPasses } from './expected.js';
import type { CaseResult } from './results.js';
import { type ActionWebhook, startActionWebhook } from './webhook.js';

const graphql = { graphql: true };
const plain = { graphql: false };

function kinds(differences: Difference[]): string[] {
  return differences.map((item) => `${item.kind} ${item.path} ${item.note}`);
}

function request(fields: Partial<CaseRequest>): CaseRequest {
  return { description: '', url: '/v1/graphql', status: 200, headers: {}, query: {}, ...fields };
}

describe('compareBodies', () => {
  it('requires selection set key order under data', () => {
    const expected = { data: { author: [{ id: 1, name: 'a' }] } };
    const actual = { data: { author: [{ name: 'a', id: 1 }] } };
    const differences = compareBodies(expected, actual, graphql);
    expect(kinds(differences)).toEqual([
      'shape $.data.author[0] key order differs from the selection set',
    ]);
    expect(verdicts(differences).strict).toBe(false);
  });

  it('ignores key order outside data', () => {
    const expected = { errors: [{ extensions: { path: '$', code: 'x' }, message: 'm' }] };
    const actual = { errors: [{ message: 'm', extensions: { code: 'x', path: '$' } }] };
    expect(compareBodies(expected, actual, graphql)).toEqual([]);
  });

  it('ignores key order in non-GraphQL replies', () => {
    const expected = { result_type: 'TuplesOk', result: [['a']] };
    const actual = { result: [['a']], result_type: 'TuplesOk' };
    expect(compareBodies(expected, actual, plain)).toEqual([]);
    expect(compareBodies({ data: { b: 1, a: 2 } }, { data: { a: 2, b: 1 } }, plain)).toEqual([]);
  });

  it('requires list order everywhere', () => {
    const expected = { data: { author: [{ id: 1 }, { id: 2 }] } };
    const actual = { data: { author: [{ id: 2 }, { id: 1 }] } };
    expect(verdicts(compareBodies(expected, actual, graphql)).strict).toBe(false);
    expect(verdicts(compareBodies([1, 2], [2, 1], plain)).strict).toBe(false);
  });

  it('scores a different GraphQL error message apart', () => {
    const expected = {
      errors: [{ extensions: { path: '$', code: 'validation-failed' }, message: 'a' }],
    };
    const actual = {
      errors: [{ extensions: { path: '$', code: 'validation-failed' }, message: 'b' }],
    };
    const differences = compareBodies(expected, actual, graphql);
    expect(kinds(differences)).toEqual(['message $.errors[0].message value differs']);
    expect(verdicts(differences)).toEqual({ strict: true, message: false });
  });

  it('scores a different /v1/query error text apart', () => {
    const expected = { path: '$.args', error: 'table "x" does not exist', code: 'not-exists' };
    const actual = { path: '$.args', error: 'no table "x"', code: 'not-exists' };
    expect(verdicts(compareBodies(expected, actual, plain))).toEqual({
      strict: true,
      message: false,
    });
  });

  it('fails strictly on a different error code', () => {
    const expected = { errors: [{ extensions: { path: '$', code: 'a' }, message: 'm' }] };
    const actual = { errors: [{ extensions: { path: '$', code: 'b' }, message: 'm' }] };
    expect(verdicts(compareBodies(expected, actual, graphql)).strict).toBe(false);
  });

  it('fails strictly on a missing message key', () => {
    const expected = { errors: [{ extensions: { code: 'a' }, message: 'm' }] };
    const actual = { errors: [{ extensions: { code: 'a' } }] };
    expect(verdicts(compareBodies(expected, actual, graphql)).strict).toBe(false);
  });

  it('scores missing internal detail as wording', () => {
    const expected = {
      error: 'e',
      code: 'postgres-error',
      path: '$',
      internal: { statement: 's' },
    };
    const actual = { error: 'e', code: 'postgres-error', path: '$' };
    expect(verdicts(compareBodies(expected, actual, plain))).toEqual({
      strict: true,
      message: false,
    });
  });

  it('treats a data field named message as data', () => {
    const expected = { data: { post: [{ message: 'hi', path: 'p' }] } };
    const actual = { data: { post: [{ message: 'ho', path: 'p' }] } };
    expect(verdicts(compareBodies(expected, actual, graphql)).strict).toBe(false);
  });

  it('fails strictly on unexpected keys and values', () => {
    expect(verdicts(compareBodies({ a: 1 }, { a: 1, b: 2 }, plain)).strict).toBe(false);
    expect(verdicts(compareBodies({ a: '1' }, { a: 1 }, plain)).strict).toBe(false);
    expect(verdicts(compareBodies({ a: null }, {}, plain)).strict).toBe(false);
  });
});

describe('compareReply', () => {
  const reply = (body: unknown, headers: Record<string, string> = {}) => ({
    status: 200,
    headers,
    body,
  });

  it('passes when any allowed response matches', () => {
    const allowed = request({ allowedResponses: [{ data: { a: 1 } }, { data: { a: 2 } }] });
    expect(compareReply(allowed, reply({ data: { a: 2 } }))).toEqual([]);
    expect(verdicts(compareReply(allowed, reply({ data: { a: 3 } }))).strict).toBe(false);
  });

  it('checks expected response headers by name', () => {
    const withHeaders = request({ responseHeaders: { 'X-Hasura-Query-Cache-Key': 'k' } });
    expect(compareReply(withHeaders, reply({}, { 'x-hasura-query-cache-key': 'k' }))).toEqual([]);
    expect(verdicts(compareReply(withHeaders, reply({}, {}))).strict).toBe(false);
  });

  it('compares only the status without a response', () => {
    expect(compareReply(request({}), reply({ anything: true }))).toEqual([]);
  });
});

describe('refusalStatuses', () => {
  it('expects 200 for GraphQL and 401 or 404 elsewhere', () => {
    expect(refusalStatuses(request({}))).toEqual([200]);
    expect(refusalStatuses(request({ status: 404 }))).toEqual([404]);
    expect(refusalStatuses(request({ url: '/v1/query' }))).toEqual([401, 404]);
  });
});

describe('case loader', () => {
  let folder: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), text);
  };

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'conformance-cases-'));
    const setup = (path: string, scope: string, phase: string) => ({
      endpoint: '/v1/query',
      path,
      scope,
      phase,
    });
    const classes = {
      classes: [
        {
          id: 'test_x.py::TestBasic',
          area: 'select-basic',
          dir: 'queries/basic',
          transports: ['http', 'websocket'],
          admin_secret_mark: false,
          hge_env: { HASURA_GRAPHQL_ENABLE_ALLOWLIST: true },
          needs_servers: [],
          reasons: [],
          setup: [setup('queries/basic/setup.yaml', 'class', 'setup')],
          python_only_tests: ['test_in_python'],
          mixed_python_tests: [],
          cases: [{ path: 'queries/basic/one.yaml', test: 't', helper: 'check_query_f', urls: [] }],
        },
      ],
      supplement_2022: {
        files: [
          {
            path: 'supplement-2022/queries/basic/s.yaml',
            original_path: 'queries/basic/s.yaml',
            setup: 'as basic',
          },
          {
            path: 'supplement-2022/queries/gone/g.yaml',
            original_path: 'queries/gone/g.yaml',
            setup: 'gone setup',
          },
          {
            path: 'supplement-2022/queries/empty/e.yaml',
            original_path: 'queries/empty/e.yaml',
            setup: 'no setup',
          },
        ],
      },
    };
    write('classes.json', JSON.stringify(classes));
    write('queries/basic/setup.yaml', 'type: bulk\nargs: []\n');
    write(
      'queries/basic/one.yaml',
      'url: /v1/graphql\nstatus: 200\nresponse: {}\nquery:\n  query: "{ a }"\n',
    );
    write(
      'queries/basic/list.yaml',
      [
        '- url: /v1/query',
        '  status: 400',
        '  headers: { X-Hasura-Role: user, X-Count: 3 }',
        '  response: { code: x }',
        '  query: { type: run_sql }',
        '- url: /api/rest/x',
        '  method: GET',
        '  status: 200',
        '  query: {}',
        '  allowed_responses:',
        '    - response: { a: 1 }',
        '    - response: { a: 2 }',
        '  c: e2',
      ].join('\n'),
    );
    write('queries/basic/broken.yaml', 'description: "open\nquote: [\n');
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reads classes with their setup and cases', () => {
    const [basic] = loadClasses(folder);
    expect(basic?.id).toBe('test_x.py::TestBasic');
    expect(basic?.hgeEnv).toEqual({ HASURA_GRAPHQL_ENABLE_ALLOWLIST: 'true' });
    expect(basic?.setup.map((file) => `${file.scope} ${file.phase} ${file.path}`)).toEqual([
      'class setup queries/basic/setup.yaml',
    ]);
    expect(basic?.pythonOnlyTests).toEqual(['test_in_python']);
    expect(basic?.cases.map((entry) => entry.path)).toEqual(['queries/basic/one.yaml']);
  });

  it('groups supplement files and borrows setup', () => {
    const classes = loadClasses(folder);
    const supplement = classes.filter((item) => item.id.startsWith('supplement-2022::'));
    expect(supplement.map((item) => item.dir)).toEqual([
      'supplement-2022/queries/basic',
      'supplement-2022/queries/gone',
      'supplement-2022/queries/empty',
    ]);
    const [borrowed, gone, empty] = supplement;
    expect(borrowed?.setup.map((file) => file.path)).toEqual(['queries/basic/setup.yaml']);
    expect(borrowed?.missingSetup).toBeUndefined();
    expect(gone?.missingSetup).toBe('gone setup');
    expect(gone).toBeDefined();
    if (gone !== undefined) {
      expect(classExclusion(gone, 'plain')).toMatch(/setup files are not in the case folder/);
    }
    expect(empty?.missingSetup).toBeUndefined();
  });

  it('reads one request and drops an empty response', () => {
    const [only, ...rest] = loadCaseFile(folder, 'queries/basic/one.yaml');
    expect(rest).toEqual([]);
    expect(only?.url).toBe('/v1/graphql');
    expect(only?.status).toBe(200);
    expect(only?.response).toBeUndefined();
    expect(only?.query).toEqual({ query: '{ a }' });
  });

  it('reads a list of requests in order', () => {
    const [first, second] = loadCaseFile(folder, 'queries/basic/list.yaml');
    expect(first?.url).toBe('/v1/query');
    expect(first?.headers).toEqual({ 'X-Hasura-Role': 'user', 'X-Count': '3' });
    expect(first?.response).toEqual({ code: 'x' });
    expect(second?.method).toBe('GET');
    expect(second?.allowedResponses).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('rejects a file that is not YAML', () => {
    expect(() => loadCaseFile(folder, 'queries/basic/broken.yaml')).toThrow(CaseFileError);
  });
});

describe('classExclusion', () => {
  const base = loadClassesFixture();

  it('excludes websocket-only and event trigger classes', () => {
    expect(classExclusion({ ...base, transports: ['websocket'] }, 'plain')).toMatch(/websocket/);
    expect(classExclusion({ ...base, needsServers: ['events'] }, 'plain')).toMatch(
      /event triggers/,
    );
  });

  it('runs admin secret classes in that pass only', () => {
    const marked = { ...base, adminSecretMark: true };
    expect(classExclusion(marked, 'plain')).toMatch(/admin secret/);
    expect(classExclusion(marked, 'admin-secret')).toBeUndefined();
  });
});

function loadClassesFixture() {
  return {
    id: 'c',
    area: 'a',
    dir: 'queries/a',
    transports: ['http'],
    adminSecretMark: false,
    hgeEnv: {},
    needsServers: [],
    reasons: [],
    setup: [],
    pythonOnlyTests: [],
    mixedPythonTests: [],
    cases: [],
  };
}

describe('lostPasses', () => {
  const result = (id: string, outcome: CaseResult['outcome']): CaseResult => ({
    id,
    classId: 'c',
    dir: 'd',
    path: id,
    pass: 'plain',
    outcome,
    messageMatch: null,
    requests: [],
  });

  it('reports expected passes that failed or were excluded', () => {
    const results = [result('a', 'passed'), result('b', 'failed'), result('c', 'excluded')];
    expect(lostPasses(['a', 'b', 'c'], results)).toEqual(['b', 'c']);
  });

  it('ignores expected passes of classes not run', () => {
    expect(lostPasses(['elsewhere'], [result('a', 'failed')])).toEqual([]);
  });
});

describe('action webhook', () => {
  let hook: ActionWebhook;
  const post = (path: string, input: unknown) =>
    fetch(`${hook.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: { name: 'a' }, input }),
    });

  beforeAll(async () => {
    hook = await startActionWebhook();
  });

  afterAll(() => hook.close());

  it('rejects an invalid email with invalid-email', async () => {
    const response = await post('/create-user', { email: 'not-an-address', name: 'x' });
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBe('abcd');
    expect(await response.json()).toEqual({
      message: 'Given email address is not valid',
      code: 'invalid-email',
    });
  });

  it('mirrors the action argument', async () => {
    const response = await post('/mirror-action', { arg: { id: 'some-id', name: 'n' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'some-id', name: 'n' });
  });

  it('returns the input blob with 400', async () => {
    const response = await post('/intentional-error', { blob: { message: 'm', code: 'c' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'm', code: 'c' });
  });

  it('answers unknown paths with 204', async () => {
    expect((await post('/unknown', {})).status).toBe(204);
  });
});
