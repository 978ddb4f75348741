import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningSecret, type PluginServer, sendSampleEvent } from '@acci/plugin-sdk';
import { type RoleNotice, startRoleWatch } from './index.js';

const secret = generateSigningSecret();
const roles: Record<string, string> = { r1: 'tenant_admin', r2: 'user' };
const notices: RoleNotice[] = [];
let backend: Server;
let baseUrl: string;
let plugin: PluginServer;

/** Answers the plugin's GraphQL lookups at /v1/graphql and records notices at /notify. */
function handle(path: string | undefined, body: string): { status: number; body: unknown } {
  if (path === '/notify') {
    notices.push(JSON.parse(body) as RoleNotice);
    return { status: 204, body: undefined };
  }
  const { variables } = JSON.parse(body) as { variables: { roleId: string; userId: string } };
  const name = roles[variables.roleId];
  return {
    status: 200,
    body: {
      data: {
        roles_by_pk: name === undefined ? null : { name },
        users_by_pk: { email: `${variables.userId}@alpha.test` },
      },
    },
  };
}

beforeAll(async () => {
  backend = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const answer = handle(request.url, body);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  plugin = await startRoleWatch({ secret, graphqlUrl: `${baseUrl}/v1/graphql` });
});

afterAll(async () => {
  await plugin.close();
  await new Promise((resolve) => backend.close(resolve));
});

function grant(roleId: string) {
  return { id: 'g1', tenant_id: 't1', user_id: 'u1', role_id: roleId, created_at: '' };
}

describe('role-watch plugin', () => {
  it('notifies a grant of a watched role', async () => {
    const config = { notifyUrl: `${baseUrl}/notify`, watchedRoles: ['tenant_admin'] };
    const result = await sendSampleEvent(plugin.url, secret, 'user_roles.insert', {
      new: grant('r1'),
      acci: { config, tenantId: 't1' },
    });
    expect(result.status).toBe(200);
    expect(notices.at(-1)).toEqual({
      text: 'The role tenant_admin was granted to u1@alpha.test. See the audit log for who did it.',
      change: 'granted',
      role: 'tenant_admin',
      email: 'u1@alpha.test',
      userId: 'u1',
      tenantId: 't1',
    });
  });

  it('notifies a revocation', async () => {
    const config = { notifyUrl: `${baseUrl}/notify`, watchedRoles: ['tenant_admin'] };
    await sendSampleEvent(plugin.url, secret, 'user_roles.delete', {
      old: grant('r1'),
      acci: { config },
    });
    expect(notices.at(-1)?.change).toBe('revoked');
  });

  it('ignores roles that are not watched', async () => {
    const before = notices.length;
    const config = { notifyUrl: `${baseUrl}/notify`, watchedRoles: ['tenant_admin'] };
    const result = await sendSampleEvent(plugin.url, secret, 'user_roles.insert', {
      new: grant('r2'),
      acci: { config },
    });
    expect(result.status).toBe(200);
    expect(notices).toHaveLength(before);
  });

  it('answers 500 when the notify webhook fails', async () => {
    const config = { notifyUrl: 'http://127.0.0.1:9/notify', watchedRoles: ['tenant_admin'] };
    const result = await sendSampleEvent(plugin.url, secret, 'user_roles.insert', {
      new: grant('r1'),
      acci: { config },
    });
    expect(result.status).toBe(500);
  });
});
