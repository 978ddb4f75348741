import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { generateEncryptionKey } from '../crypto/secret-box.js';
import { callAs, seedTenant, seedUser, signIn } from '../testing/auth.js';
import { startTestServer, type TestServer, testActionSecret } from '../testing/server.js';

/** Two tenants, each with one tenant admin. */
export const tenants = {
  alpha: { id: '0a000000-0000-4000-8000-000000000001', domain: 'alpha.test' },
  beta: { id: '0b000000-0000-4000-8000-000000000001', domain: 'beta.test' },
} as const;

export const admins = {
  alpha: { id: '0a000000-0000-4000-8000-0000000000a1', email: 'admin@alpha.test' },
  beta: { id: '0b000000-0000-4000-8000-0000000000b1', email: 'admin@beta.test' },
} as const;

export type TenantKey = keyof typeof tenants;

export async function seedPluginTenants(client: pg.Client): Promise<void> {
  for (const key of ['alpha', 'beta'] as const) {
    await seedTenant(client, tenants[key]);
    await seedUser(client, { ...admins[key], tenantId: tenants[key].id, roles: ['tenant_admin'] });
  }
}

/** Builds a valid manifest object with `changes` applied. */
export function manifest(changes: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'sample',
    version: '1.0.0',
    description: 'Sample plugin of the tests.',
    webhook: '{{SAMPLE_URL}}/hooks',
    hooks: ['users.insert', 'users.update', 'users.delete'],
    requestedPermissions: [{ resource: 'users', actions: ['read'] }],
    ...changes,
  };
}

/** Writes each manifest into `<dir>/<name>-<version>/acci-plugin.json` and returns dir. */
export async function writePluginsDir(manifests: Array<Record<string, unknown>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'acci-plugins-'));
  for (const entry of manifests) {
    const folder = join(dir, `${String(entry.name)}-${String(entry.version)}`);
    await mkdir(folder);
    await writeFile(join(folder, 'acci-plugin.json'), JSON.stringify(entry));
  }
  return dir;
}

/** Environment of a test action server with fast retries and its own plugin folder. */
export function pluginEnv(dir: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    ACCI_ENCRYPTION_KEYS: generateEncryptionKey('test'),
    ACCI_PLUGINS_DIR: dir,
    ACCI_PLUGIN_RETRY_BASE_MS: '40',
    ACCI_PLUGIN_RETRY_MAX_MS: '200',
    ACCI_PLUGIN_POLL_MS: '50',
    ACCI_PLUGIN_DELIVERY_TIMEOUT_MS: '1000',
    ACCI_PLUGIN_DELIVERY_MAX_ATTEMPTS: '3',
    ...env,
  };
}

export async function startPluginTestServer(
  databaseUrl: string,
  env: Record<string, string>,
): Promise<TestServer> {
  return startTestServer(databaseUrl, env);
}

/** Session variables of a signed-in tenant admin. */
export async function adminSession(server: TestServer, key: TenantKey) {
  return (await signIn(server, tenants[key].domain, admins[key].email)).session;
}

export interface Reply {
  status: number;
  body: Record<string, unknown> & { message?: string; extensions?: { code?: string } };
}

/** Calls a plugin action as the given session. */
export async function act(
  server: TestServer,
  name: string,
  input: Record<string, unknown>,
  session: Record<string, string>,
): Promise<Reply> {
  const response = await callAs(server, name, name, input, session);
  return { status: response.status, body: (await response.json()) as Reply['body'] };
}

/** Builds a Hasura event payload for a change of one row. */
export function hasuraEvent(
  table: string,
  op: 'INSERT' | 'UPDATE' | 'DELETE' | 'MANUAL',
  rows: { old?: Record<string, unknown> | null; new?: Record<string, unknown> | null },
) {
  return {
    id: randomUUID(),
    created_at: new Date().toISOString(),
    event: {
      session_variables: { 'x-hasura-role': 'admin' },
      op,
      data: { old: rows.old ?? null, new: rows.new ?? null },
    },
    delivery_info: { max_retries: 5, current_retry: 0 },
    trigger: { name: `acci_plugins_${table}` },
    table: { schema: 'public', name: table },
  };
}

/** Posts an event payload to /events as the event trigger does. */
export async function postEvent(server: TestServer, payload: unknown): Promise<Reply> {
  const response = await fetch(`${server.url}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-acci-action-secret': testActionSecret },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as Reply['body'] };
}

/** One request a receiver got. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** Status and delay of a receiver's response to its n-th request, counted from 0. */
export type Behaviour = (index: number) => { status: number; delayMs?: number };

/** A local HTTP server standing in for a plugin; it records every request. */
export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  behave(behaviour: Behaviour): void;
  close(): Promise<void>;
}

export async function startReceiver(
  behaviour: Behaviour = () => ({ status: 200 }),
): Promise<Receiver> {
  let current = behaviour;
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = requests.length;
      requests.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      });
      const { status, delayMs = 0 } = current(index);
      setTimeout(() => response.writeHead(status).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    behave: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
