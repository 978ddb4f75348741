import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

const hsKey = 'an-hs256-test-key-that-is-32-bytes!!';

const counterTable = {
  table: { schema: 'public', name: 'counter' },
  select_permissions: [{ role: 'user', permission: { columns: ['id', 'value'], filter: {} } }],
};

/** Signs a token for role `user` that expires `seconds` from now. */
function shortToken(seconds: number): Promise<string> {
  return new SignJWT({
    'https://hasura.io/jwt/claims': {
      'x-hasura-allowed-roles': ['user'],
      'x-hasura-default-role': 'user',
    },
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(new TextEncoder().encode(hsKey));
}

interface Client {
  next(): Promise<Record<string, unknown>>;
  send(message: object): void;
  closed: Promise<{ code: number; reason: string; at: number }>;
}

async function connect(t: TestEngine, protocol: string, token: string): Promise<Client> {
  const socket = new WebSocket(`${t.engine.url.replace('http', 'ws')}/v1/graphql`, protocol);
  const queue: Record<string, unknown>[] = [];
  const waiters: ((message: Record<string, unknown>) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    if (message.type === 'ka') return;
    const waiter = waiters.shift();
    if (waiter !== undefined) waiter(message);
    else queue.push(message);
  });
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason), at: Date.now() }));
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(
    JSON.stringify({
      type: 'connection_init',
      payload: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return {
    next: () =>
      new Promise((resolve) => {
        const queued = queue.shift();
        if (queued !== undefined) resolve(queued);
        else waiters.push(resolve);
      }),
    send: (message) => socket.send(JSON.stringify(message)),
    closed,
  };
}

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine(
    'engine-websocket-expiry',
    'CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL); INSERT INTO counter VALUES (1, 0);',
    metadataWith([counterTable]),
    { HASURA_GRAPHQL_JWT_SECRET: JSON.stringify({ type: 'HS256', key: hsKey }) },
  );
});

afterAll(async () => {
  await t.stop();
});

describe('websocket JWT expiry', () => {
  it('closes graphql-transport-ws with 4401', async () => {
    const client = await connect(t, 'graphql-transport-ws', await shortToken(2));
    expect(await client.next()).toEqual({ type: 'connection_ack' });
    client.send({ id: '1', type: 'subscribe', payload: { query: '{ counter { value } }' } });
    expect(await client.next()).toEqual({
      type: 'next',
      id: '1',
      payload: { data: { counter: [{ value: 0 }] } },
    });

    const closed = await client.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toBe('Unauthorized');
  });

  it('sends connection_error on graphql-ws', async () => {
    const client = await connect(t, 'graphql-ws', await shortToken(2));
    expect(await client.next()).toEqual({ type: 'connection_ack' });
    client.send({
      id: '1',
      type: 'start',
      payload: { query: 'subscription { counter { value } }' },
    });
    expect(await client.next()).toEqual({
      type: 'data',
      id: '1',
      payload: { data: { counter: [{ value: 0 }] } },
    });

    expect(await client.next()).toEqual({
      type: 'connection_error',
      payload: 'Could not verify JWT: JWTExpired',
    });
    const closed = await client.closed;
    expect(closed.code).toBe(1000);
  });

  it('closes at the expiry time', async () => {
    const token = await shortToken(2);
    const expiresAt = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ).exp as number;
    const client = await connect(t, 'graphql-transport-ws', token);
    expect(await client.next()).toEqual({ type: 'connection_ack' });

    const closed = await client.closed;
    expect(closed.at).toBeGreaterThanOrEqual(expiresAt * 1000);
    expect(closed.at).toBeLessThan(expiresAt * 1000 + 1000);
  });
});
