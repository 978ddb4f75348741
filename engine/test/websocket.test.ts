import WebSocket from 'ws';
import { adminSecret, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine(
    'engine-websocket',
    'CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL); INSERT INTO counter VALUES (1, 0);',
    metadataWith([{ table: { schema: 'public', name: 'counter' } }]),
  );
});

afterAll(async () => {
  await t.stop();
});

/** A websocket client that queues the messages it receives. */
async function connect(protocol: string, payload: unknown) {
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
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload }));
  const next = () =>
    new Promise<Record<string, unknown>>((resolve) => {
      const queued = queue.shift();
      if (queued !== undefined) resolve(queued);
      else waiters.push(resolve);
    });
  return { socket, next, send: (message: object) => socket.send(JSON.stringify(message)) };
}

describe('graphql-transport-ws', () => {
  it('sends live query results as they change', async () => {
    const client = await connect('graphql-transport-ws', {
      headers: { 'x-hasura-admin-secret': adminSecret },
    });
    expect(await client.next()).toEqual({ type: 'connection_ack' });
    client.send({
      id: '1',
      type: 'subscribe',
      payload: { query: 'subscription { counter { value } }' },
    });
    expect(await client.next()).toEqual({
      type: 'next',
      id: '1',
      payload: { data: { counter: [{ value: 0 }] } },
    });
    await t.sql('UPDATE counter SET value = 5');
    expect(await client.next()).toEqual({
      type: 'next',
      id: '1',
      payload: { data: { counter: [{ value: 5 }] } },
    });
    client.send({ id: '1', type: 'complete' });
    client.send({
      id: '2',
      type: 'subscribe',
      payload: { query: '{ counter_by_pk(id: 1) { id } }' },
    });
    expect(await client.next()).toEqual({
      type: 'next',
      id: '2',
      payload: { data: { counter_by_pk: { id: 1 } } },
    });
    expect(await client.next()).toEqual({ type: 'complete', id: '2' });
    client.socket.close();
  });

  it('sends validation errors as an error message', async () => {
    const client = await connect('graphql-transport-ws', {
      headers: { 'x-hasura-admin-secret': adminSecret },
    });
    await client.next();
    client.send({ id: 'x', type: 'subscribe', payload: { query: 'subscription { nope }' } });
    expect(await client.next()).toEqual({
      type: 'error',
      id: 'x',
      payload: [
        {
          message: "field 'nope' not found in type: 'subscription_root'",
          extensions: { path: '$.selectionSet.nope', code: 'validation-failed' },
        },
      ],
    });
    client.socket.close();
  });

  it('closes the connection on bad credentials', async () => {
    const client = await connect('graphql-transport-ws', {
      headers: { 'x-hasura-admin-secret': 'wrong' },
    });
    const code = await new Promise((resolve) => client.socket.once('close', resolve));
    expect(code).toBe(4403);
  });
});

describe('legacy graphql-ws', () => {
  it('acknowledges, streams data and completes on stop', async () => {
    const client = await connect('graphql-ws', {
      headers: { 'x-hasura-admin-secret': adminSecret },
    });
    expect(await client.next()).toEqual({ type: 'connection_ack' });
    client.send({ id: '7', type: 'start', payload: { query: 'subscription { counter { id } }' } });
    expect(await client.next()).toEqual({
      type: 'data',
      id: '7',
      payload: { data: { counter: [{ id: 1 }] } },
    });
    client.send({ id: '7', type: 'stop' });
    expect(await client.next()).toEqual({ type: 'complete', id: '7' });
    client.socket.close();
  });
});
