import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startTestEngine, type TestEngine } from './engine-harness.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: {
    action: { name: string };
    input: Record<string, unknown>;
    session_variables: Record<string, string>;
    request_query: string;
  };
}

const received: Received[] = [];
let reply: (path: string, body: Received['body']) => { status: number; body: unknown } = () => ({
  status: 200,
  body: {},
});

let handler: Server;
let t: TestEngine;

beforeAll(async () => {
  handler = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on('end', () => {
      const body = JSON.parse(text) as Received['body'];
      received.push({ path: request.url ?? '', headers: request.headers, body });
      const answer = reply(request.url ?? '', body);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => handler.listen(0, '127.0.0.1', resolve));
  const port = (handler.address() as AddressInfo).port;
  t = await startTestEngine(
    'engine-actions',
    'CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), display_name text NOT NULL);',
    undefined,
    {
      HASURA_GRAPHQL_METADATA_DIR: join(import.meta.dirname, 'fixtures', 'metadata'),
      HASURA_GRAPHQL_UNAUTHORIZED_ROLE: 'anonymous',
      ACTIONS_BASE_URL: `http://127.0.0.1:${port}`,
      ACTION_SECRET: 'from-env',
    },
  );
});

afterAll(async () => {
  await t.stop();
  await new Promise((resolve) => handler.close(resolve));
});

beforeEach(() => {
  received.length = 0;
});

const loginMutation = `mutation Login($email: String!) {
  login(tenantId: "acme", email: $email, password: "pw") { token: accessToken roles mfa __typename }
}`;

describe('actions', () => {
  it('posts Hasura payload and shapes the output', async () => {
    reply = () => ({
      status: 200,
      body: { accessToken: 'tok', expiresIn: 60, roles: ['user'], mfa: 'NONE', extra: 1 },
    });
    const { body } = await t.graphql(loginMutation, {
      variables: { email: 'a@example.com' },
      headers: { 'x-client': 'web' },
    });
    expect(body.data).toEqual({
      login: { token: 'tok', roles: ['user'], mfa: 'NONE', __typename: 'LoginOutput' },
    });
    const [call] = received;
    expect(call?.path).toBe('/login');
    expect(call?.body.action).toEqual({ name: 'login' });
    expect(call?.body.input).toEqual({ tenantId: 'acme', email: 'a@example.com', password: 'pw' });
    expect(call?.body.session_variables).toEqual({ 'x-hasura-role': 'anonymous' });
    expect(call?.body.request_query).toBe(loginMutation);
    expect(call?.headers['x-action-secret']).toBe('from-env');
    expect(call?.headers['x-static']).toBe('fixed');
    expect(call?.headers['x-client']).toBe('web');
  });

  it('appends the peer address to a forged X-Forwarded-For', async () => {
    reply = () => ({ status: 200, body: { accessToken: 't', roles: [], mfa: 'NONE' } });
    await t.graphql(loginMutation, {
      variables: { email: 'a@example.com' },
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(received[0]?.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
  });

  it('sets X-Forwarded-For to the peer address when absent', async () => {
    reply = () => ({ status: 200, body: { accessToken: 't', roles: [], mfa: 'NONE' } });
    await t.graphql(loginMutation, { variables: { email: 'a@example.com' }, headers: {} });
    expect(received[0]?.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('turns a 4xx response into an error with its code', async () => {
    reply = () => ({
      status: 400,
      body: { message: 'Invalid email or password.', extensions: { code: 'invalid-credentials' } },
    });
    const { body } = await t.graphql(loginMutation, {
      variables: { email: 'a@example.com' },
      headers: {},
    });
    expect(body.errors).toEqual([
      { message: 'Invalid email or password.', extensions: { code: 'invalid-credentials' } },
    ]);
    reply = () => ({ status: 401, body: { message: 'nope', code: 'access-denied' } });
    const flat = await t.graphql(loginMutation, {
      variables: { email: 'a@example.com' },
      headers: {},
    });
    expect(flat.body.errors).toEqual([
      { message: 'nope', extensions: { path: '$', code: 'access-denied' } },
    ]);
  });

  it('rejects output that does not match the type', async () => {
    reply = () => ({ status: 200, body: { accessToken: 'tok', expiresIn: 'soon', roles: [] } });
    const { body } = await t.graphql(
      'mutation { login(tenantId: "a", email: "b", password: "c") { expiresIn } }',
      {
        headers: {},
      },
    );
    expect(body.errors?.[0]?.message).toBe(
      'got scalar String for the action webhook response, expecting Int',
    );
    expect(body.errors?.[0]?.extensions.code).toBe('unexpected');
  });

  it('hides actions from roles without permission', async () => {
    const { body } = await t.graphql('{ whoami { role } }', { headers: {} });
    expect(body.errors?.[0]?.message).toBe("field 'whoami' not found in type: 'query_root'");
  });

  it('lets admin call every action', async () => {
    reply = (_path, request) => ({
      status: 200,
      body: { role: request.session_variables['x-hasura-role'], userId: null },
    });
    const { body } = await t.graphql('{ whoami { role userId } }', {
      headers: { 'x-hasura-admin-secret': 'test-admin-secret' },
    });
    expect(body.data).toEqual({ whoami: { role: 'admin', userId: null } });
  });

  it('reports null for a non-null output', async () => {
    reply = () => ({ status: 200, body: null });
    const { body } = await t.graphql('{ whoami { role } }', {
      headers: { 'x-hasura-admin-secret': 'test-admin-secret' },
    });
    expect(body.errors?.[0]?.message).toBe('got null for the action webhook response');
  });
});
