import { createPluginServer, type PluginEvent, type PluginServer } from './server.js';
import { generateSigningSecret } from './signature.js';
import { sampleDelivery, sendSampleEvent } from './testing.js';

const secret = generateSigningSecret();
const received: PluginEvent[] = [];
let server: PluginServer;

beforeAll(async () => {
  server = await createPluginServer({
    secret,
    hooks: {
      'users.insert': (event, context) => {
        received.push(event);
        expect(context.config).toEqual({ greeting: 'hi' });
      },
      'users.delete': () => {
        throw new Error('handler failure');
      },
    },
  });
});

afterAll(() => server.close());

describe('createPluginServer', () => {
  it('listens on 127.0.0.1', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('runs the handler of a signed delivery', async () => {
    const result = await sendSampleEvent(server.url, secret, 'users.insert', {
      new: { id: 'u1', tenant_id: 't1', email: 'new@example.test' },
      acci: { config: { greeting: 'hi' } },
      deliveryId: 'msg_fixed',
    });
    expect(result.status).toBe(200);
    const event = received.at(-1);
    expect(event?.deliveryId).toBe('msg_fixed');
    expect(event?.new?.email).toBe('new@example.test');
    expect(event?.operation).toBe('insert');
  });

  it('answers 401 for a wrong secret', async () => {
    const result = await sendSampleEvent(server.url, generateSigningSecret(), 'users.insert');
    expect(result.status).toBe(401);
  });

  it('answers 204 for a hook without handler', async () => {
    const result = await sendSampleEvent(server.url, secret, 'roles.insert', { new: {} });
    expect(result.status).toBe(204);
  });

  it('answers 500 when the handler throws', async () => {
    const result = await sendSampleEvent(server.url, secret, 'users.delete', { old: { id: 'u1' } });
    expect(result.status).toBe(500);
  });

  it('answers 401 for an unsigned body', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      body: JSON.stringify(sampleDelivery('users.insert')),
    });
    expect(response.status).toBe(401);
  });
});
