import { calculateJwkThumbprint } from 'jose';
import pg from 'pg';
import { createTestDatabase, databaseUrl, type TestDatabase } from '../../tests/harness/db.js';
import {
  callAction,
  startTestServer,
  type TestServer,
  testActionSecret,
} from './testing/server.js';

const tenantId = '30000000-0000-4000-8000-000000000001';

let database: TestDatabase;
let server: TestServer;

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** Waits for the log line of a request, which is written when its response has closed. */
async function requestLine(response: Response): Promise<Record<string, unknown>> {
  const requestId = response.headers.get('x-request-id');
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const line = server
      .logs()
      .find((entry) => entry.requestId === requestId && entry.msg === 'request completed');
    if (line !== undefined) return line;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`No log line for request ${requestId}.`);
}

beforeAll(async () => {
  database = await createTestDatabase('actions-server');
  server = await startTestServer(database.url);
});

afterAll(async () => {
  await server?.close();
  await database?.drop();
});

describe('healthz', () => {
  it('reports ok when the database answers', async () => {
    const response = await fetch(`${server.url}/healthz`);

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('{"status":"ok"}');
  });

  it('reports unavailable without a database', async () => {
    const missing = databaseUrl(database.url, `${database.name}_missing`);
    const broken = await startTestServer(missing);
    try {
      const response = await fetch(`${broken.url}/healthz`);

      expect(response.status).toBe(503);
      expect(await response.text()).toBe('{"status":"unavailable"}');
      const failure = broken.logs().find((line) => line.msg === 'health check query failed');
      expect(failure?.level).toBe(50);
    } finally {
      await broken.close();
    }
  });
});

describe('jwks', () => {
  it('publishes the public key only', async () => {
    const response = await fetch(`${server.url}/.well-known/jwks.json`);
    const body = (await response.json()) as { keys: Array<Record<string, string>> };
    const [key] = body.keys;

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.keys).toHaveLength(1);
    expect(Object.keys(key ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(key?.kty).toBe('RSA');
    expect(key?.alg).toBe('RS256');
    expect(key?.use).toBe('sig');
  });

  it('uses the RFC 7638 thumbprint as kid', async () => {
    const body = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kty: string; n: string; e: string; kid: string }>;
    };
    const key = body.keys[0];
    if (key === undefined) throw new Error('The JWKS has no key.');

    expect(key.kid).toBe(await calculateJwkThumbprint({ kty: key.kty, n: key.n, e: key.e }));
  });
});

describe('action secret', () => {
  const unauthorized = {
    message: 'Missing or invalid "x-acci-action-secret" header. Call actions through Hasura.',
    extensions: { code: 'unauthorized' },
  };

  it('rejects a request without it', async () => {
    const response = await post('/login', '{}');

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(unauthorized);
  });

  it('rejects a wrong secret', async () => {
    const wrongLength = await post('/login', '{}', { 'x-acci-action-secret': 'short' });
    const sameLength = await post('/login', '{}', {
      'x-acci-action-secret': testActionSecret.replace(/.$/, '!'),
    });

    expect(wrongLength.status).toBe(401);
    expect(await wrongLength.json()).toEqual(unauthorized);
    expect(sameLength.status).toBe(401);
    expect(await sameLength.json()).toEqual(unauthorized);
  });

  it('is checked before the body is parsed', async () => {
    const response = await post('/login', '{not json');

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(unauthorized);
  });

  it('never reaches the log', async () => {
    await callAction(server, 'login', { tenantId, email: 'a@b.test', password: 'x' });

    expect(server.logText()).not.toContain(testActionSecret);
  });
});

describe('request errors', () => {
  const secret = { 'x-acci-action-secret': testActionSecret };

  it('rejects malformed JSON', async () => {
    const response = await post('/login', '{"password": "hunter2secret",', secret);
    const body = (await response.json()) as { message: string; extensions: { code: string } };

    expect(response.status).toBe(400);
    expect(body.extensions.code).toBe('invalid-json');
    expect(body.message).toMatch(/^The request body is not valid JSON: \S.*\.$/);
  });

  it('does not quote the body in the JSON error', async () => {
    const response = await post('/login', 'hunter2secret', secret);
    const body = (await response.json()) as { message: string; extensions: { code: string } };
    await requestLine(response);

    expect(response.status).toBe(400);
    expect(body.extensions.code).toBe('invalid-json');
    expect(body.message).toMatch(/^The request body is not valid JSON: /);
    expect(body.message).not.toContain('hunter2');
    expect(server.logText()).not.toContain('hunter2');
  });

  it('rejects a body over the limit', async () => {
    const response = await post('/login', JSON.stringify({ pad: 'x'.repeat(200_000) }), secret);

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      message: 'The request body exceeds the limit of 100kb.',
      extensions: { code: 'payload-too-large' },
    });
  });

  it('rejects a body that is no action payload', async () => {
    const response = await post('/login', '[1, 2]', secret);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message:
        'The request body must be a Hasura action payload: a JSON object with "action" and "input".',
      extensions: { code: 'validation-failed' },
    });
  });

  it('answers unknown routes with not-found', async () => {
    const response = await fetch(`${server.url}/nope?token=abc`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      message: 'No route matches "GET /nope".',
      extensions: { code: 'not-found' },
    });
  });

  it('hides the details of unexpected errors', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO tenants (id, name, domain) VALUES ($1, 'Broken', 'broken.test')`,
        [tenantId],
      );
      // Without its audit table a rejected sign-in fails on the audit insert.
      await client.query('ALTER TABLE audit_events RENAME TO audit_events_moved');
      const response = await callAction(server, 'login', {
        tenantId,
        email: 'nobody@broken.test',
        password: 'irrelevant',
      });
      const line = await requestLine(response);

      expect(response.status).toBe(500);
      expect(await response.text()).toBe(
        '{"message":"Internal error.","extensions":{"code":"unexpected"}}',
      );
      expect(line.level).toBe(50);
      expect(line.errorCode).toBe('unexpected');
      const failure = server
        .logs()
        .find(
          (entry) =>
            entry.requestId === line.requestId &&
            entry.msg === 'request failed with an unexpected error',
        );
      expect(JSON.stringify(failure?.err)).toContain('audit_events');
    } finally {
      await client.query('ALTER TABLE audit_events_moved RENAME TO audit_events');
      await client.end();
    }
  });
});

describe('request log', () => {
  it('echoes a valid x-request-id', async () => {
    const response = await fetch(`${server.url}/healthz`, {
      headers: { 'x-request-id': 'probe-42' },
    });
    const line = await requestLine(response);

    expect(response.headers.get('x-request-id')).toBe('probe-42');
    expect(line).toMatchObject({ method: 'GET', path: '/healthz', status: 200, level: 30 });
    expect(typeof line.durationMs).toBe('number');
  });

  it('replaces an unsafe x-request-id', async () => {
    const response = await fetch(`${server.url}/healthz`, {
      headers: { 'x-request-id': 'two words' },
    });

    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs client errors as warnings', async () => {
    const response = await post('/login', '{}');
    const line = await requestLine(response);

    expect(line).toMatchObject({ status: 401, level: 40, errorCode: 'unauthorized' });
  });
});

describe('startActionServer', () => {
  it('listens on a free port of 127.0.0.1', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('stops listening on close', async () => {
    const other = await startTestServer(database.url);
    await other.close();

    await expect(fetch(`${other.url}/healthz`)).rejects.toThrow();
    expect(other.logs().some((line) => line.msg === 'action server stopped')).toBe(true);
  });
});
