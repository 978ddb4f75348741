import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningSecret, type PluginServer, sendSampleEvent } from '@acci/plugin-sdk';
import { startAuditLog } from './index.js';

interface GraphqlCall {
  authorization: string | undefined;
  query: string;
  variables: { event: Record<string, unknown> };
}

const secret = generateSigningSecret();
const tenantId = '0a000000-0000-4000-8000-000000000001';
const calls: GraphqlCall[] = [];
let graphql: Server;
let graphqlUrl: string;
let plugin: PluginServer;

beforeAll(async () => {
  // Stands in for /v1/graphql and records each mutation the plugin sends.
  graphql = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      calls.push({ authorization: request.headers.authorization, ...JSON.parse(body) });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: { insert_audit_events_one: { id: '1' } } }));
    });
  });
  await new Promise<void>((resolve) => graphql.listen(0, '127.0.0.1', resolve));
  graphqlUrl = `http://127.0.0.1:${(graphql.address() as AddressInfo).port}/v1/graphql`;
  plugin = await startAuditLog({ secret });
});

afterAll(async () => {
  await plugin.close();
  await new Promise((resolve) => graphql.close(resolve));
});

describe('audit-log plugin', () => {
  it('records an update with before and after', async () => {
    const result = await sendSampleEvent(plugin.url, secret, 'users.update', {
      old: { id: 'u1', tenant_id: tenantId, status: 'active' },
      new: { id: 'u1', tenant_id: tenantId, status: 'inactive' },
      sessionVariables: { 'x-hasura-user-id': 'admin-1', 'x-hasura-tenant-id': tenantId },
      acci: { graphqlUrl, credential: { token: 'plugin-token', expiresAt: '' } },
    });
    expect(result.status).toBe(200);
    const call = calls.at(-1);
    expect(call?.authorization).toBe('Bearer plugin-token');
    expect(call?.query).toContain('insert_audit_events_one');
    expect(call?.variables.event).toEqual({
      action: 'users.update',
      resource_type: 'users',
      resource_id: 'u1',
      actor_user_id: 'admin-1',
      before: { id: 'u1', tenant_id: tenantId, status: 'active' },
      after: { id: 'u1', tenant_id: tenantId, status: 'inactive' },
    });
  });

  it('leaves out an actor of another tenant', async () => {
    await sendSampleEvent(plugin.url, secret, 'roles.insert', {
      new: { id: 'r1', tenant_id: tenantId, name: 'auditor' },
      sessionVariables: { 'x-hasura-user-id': 'platform-1', 'x-hasura-tenant-id': 'other' },
      acci: { graphqlUrl },
    });
    expect(calls.at(-1)?.variables.event.actor_user_id).toBeNull();
  });

  it('skips the tables of skipTables', async () => {
    const before = calls.length;
    const result = await sendSampleEvent(plugin.url, secret, 'tenants.update', {
      new: { id: tenantId },
      acci: { graphqlUrl, config: { skipTables: ['tenants'] } },
    });
    expect(result.status).toBe(200);
    expect(calls).toHaveLength(before);
  });

  it('answers 500 when GraphQL fails, so the platform retries', async () => {
    const result = await sendSampleEvent(plugin.url, secret, 'users.insert', {
      new: { id: 'u2', tenant_id: tenantId },
      acci: { graphqlUrl: 'http://127.0.0.1:9/v1/graphql' },
    });
    expect(result.status).toBe(500);
  });
});
