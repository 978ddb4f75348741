import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isObject, type JsonObject } from './json-shape.js';

/** The engine the webhook writes users through, known only once the class's engine runs. */
export interface EngineTarget {
  url: string;
  adminSecret?: string;
}

/** A running action webhook; `target` is set per class before its cases run. */
export interface ActionWebhook {
  url: string;
  target: EngineTarget | undefined;
  close(): Promise<void>;
}

interface HandlerReply {
  status: number;
  body: unknown;
}

type Handler = (
  input: JsonObject,
  request: IncomingMessage,
  hook: ActionWebhook,
) => HandlerReply | Promise<HandlerReply>;

// The address check of upstream's action handler, kept as it is so the same inputs fail.
const EMAIL_PATTERN = /^\w+([.-]?\w+)*@\w+([.-]?\w+)*(\.\w{2,3})+$/;

const ok = (body: unknown): HandlerReply => ({ status: 200, body });

/** Replies by path, as the action handler of upstream's test suite does. */
const handlers: Record<string, Handler> = {
  '/create-user': (input, _request, hook) => createUser(input, hook),
  '/create-users': (input, _request, hook) => createUsers(input, hook),
  '/mirror-action': (input) => ok(input.arg),
  '/mirror-headers': (_input, request) => ok({ headers: headerList(request) }),
  '/get-user-by-email': (input, _request, hook) => usersByEmail(input, hook, true),
  '/get-users-by-email': (input, _request, hook) => usersByEmail(input, hook, false),
  '/get-user-by-email-nested': (input, _request, hook) => nestedUsersByEmail(input, hook, true),
  '/get-users-by-email-nested': (input, _request, hook) => nestedUsersByEmail(input, hook, false),
  '/intentional-error': (input) => ({ status: 400, body: input.blob }),
  '/null-response': () => ok(null),
  '/omitted-response-field': () => ok({ country: 'India' }),
  '/scalar-response': () => ok('some-string'),
  '/json-response': () => ok({ foo: 'bar' }),
  '/custom-scalar-array-response': () => ok([{ foo: 'bar' }]),
  '/scalar-array-response': () => ok(['foo', 'bar', null]),
  '/recursive-output': () => ok(recursiveOutput()),
  '/get-results': () => ok({ result_ids: [1, 2, 3, 4] }),
  '/typed-nested-null': () => ok({ id: 1, child: null }),
  '/typed-nested-null-wrong-field': () => ok({ id: null, child: null }),
  '/get_messages': () =>
    ok([
      { content: 'baz', user_name: 'foo' },
      { content: 'foo', user_name: 'bar' },
    ]),
};

/** Starts the action webhook on 127.0.0.1 with a free port. */
export async function startActionWebhook(): Promise<ActionWebhook> {
  const hook: ActionWebhook = { url: '', target: undefined, close: async () => {} };
  const server = createServer((request, response) => {
    handle(request, response, hook).catch((error: unknown) => {
      console.error(`Action webhook failed on "${request.url}":`, error);
      send(response, { status: 500, body: { message: 'webhook failed', code: 'unexpected' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  hook.url = `http://127.0.0.1:${port}`;
  hook.close = () => closeServer(server);
  return hook;
}

async function handle(request: IncomingMessage, response: ServerResponse, hook: ActionWebhook) {
  if (request.method !== 'POST') {
    response.writeHead(200).end();
    return;
  }
  const payload: unknown = JSON.parse(await readBody(request));
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  const handler = handlers[path];
  if (handler === undefined) {
    response.writeHead(204).end();
    return;
  }
  const input = isObject(payload) && isObject(payload.input) ? payload.input : {};
  send(response, await handler(input, request, hook));
}

function send(response: ServerResponse, reply: HandlerReply): void {
  response.writeHead(reply.status, { 'Content-Type': 'application/json', 'Set-Cookie': 'abcd' });
  response.end(JSON.stringify(reply.body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function headerList(request: IncomingMessage): { name: string; value: string }[] {
  const list: { name: string; value: string }[] = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    list.push({
      name: request.rawHeaders[index] ?? '',
      value: request.rawHeaders[index + 1] ?? '',
    });
  }
  return list;
}

function invalidEmail(message: string): HandlerReply {
  return { status: 400, body: { message, code: 'invalid-email' } };
}

const QUERY_FAILED: HandlerReply = {
  status: 400,
  body: { message: 'GraphQL query execution failed', code: 'unexpected' },
};

async function createUser(input: JsonObject, hook: ActionWebhook): Promise<HandlerReply> {
  const email = String(input.email);
  if (!EMAIL_PATTERN.test(email)) {
    return invalidEmail('Given email address is not valid');
  }
  const data = await runGraphql(hook, {
    query: `mutation ($email: String! $name: String!) {
      insert_user_one(object: {email: $email, name: $name}) { id }
    }`,
    variables: { email, name: input.name },
  });
  return data === undefined ? QUERY_FAILED : ok(data.insert_user_one);
}

async function createUsers(input: JsonObject, hook: ActionWebhook): Promise<HandlerReply> {
  const users = Array.isArray(input.users) ? input.users : [];
  for (const user of users) {
    const email = isObject(user) ? String(user.email) : '';
    if (!EMAIL_PATTERN.test(email)) {
      return invalidEmail(`Email address is not valid: ${email}`);
    }
  }
  const data = await runGraphql(hook, {
    query: `mutation ($insert_inputs: [user_insert_input!]!) {
      insert_user(objects: $insert_inputs) { returning { id } }
    }`,
    variables: { insert_inputs: users },
  });
  const inserted = data?.insert_user;
  return isObject(inserted) ? ok(inserted.returning) : QUERY_FAILED;
}

async function usersByEmail(
  input: JsonObject,
  hook: ActionWebhook,
  single: boolean,
): Promise<HandlerReply> {
  const email = String(input.email);
  if (!EMAIL_PATTERN.test(email)) {
    return invalidEmail('Given email address is not valid');
  }
  const data = await runGraphql(hook, {
    query: `query get_user($email: String!) {
      user(where: {email: {_eq: $email}}, order_by: {id: asc}) { id }
    }`,
    variables: { email },
  });
  if (data === undefined || !Array.isArray(data.user)) {
    return QUERY_FAILED;
  }
  return ok(single ? data.user[0] : data.user);
}

async function nestedUsersByEmail(
  input: JsonObject,
  hook: ActionWebhook,
  single: boolean,
): Promise<HandlerReply> {
  const reply = await usersByEmail(input, hook, single);
  if (reply.status !== 200) {
    return reply;
  }
  const nest = (user: unknown) => {
    const id = isObject(user) ? user.id : undefined;
    return {
      ...(isObject(user) ? user : {}),
      address: { city: 'New York', country: 'USA' },
      addresses: [
        { city: 'Bangalore', country: 'India' },
        { city: 'Melbourne', country: 'Australia' },
      ],
      user_id: { id },
    };
  };
  return ok(Array.isArray(reply.body) ? reply.body.map(nest) : nest(reply.body));
}

function recursiveOutput(): unknown {
  return {
    direct: { id: 1, this: { id: 2, this: { id: 3 } } },
    list: { id: 1, these: [{ id: 2, these: [{ id: 3 }] }, { id: 4 }] },
    mutual: { id: 1, that: { id: 2, other: { id: 3, that: { id: 4 } } } },
  };
}

/** Runs a GraphQL request on the class's engine; returns `data`, or undefined on any error. */
async function runGraphql(hook: ActionWebhook, body: JsonObject): Promise<JsonObject | undefined> {
  const target = hook.target;
  if (target === undefined) {
    console.error('Action webhook called before its engine target was set.');
    return undefined;
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (target.adminSecret !== undefined) {
    headers['X-Hasura-Admin-Secret'] = target.adminSecret;
  }
  const response = await fetch(`${target.url}/v1/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const reply: unknown = await response.json();
  if (response.status !== 200 || !isObject(reply) || !isObject(reply.data)) {
    console.error('Action webhook query failed:', JSON.stringify(reply));
    return undefined;
  }
  return reply.data;
}
