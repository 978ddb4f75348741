import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../tests/harness/db.js';
import { testActionSecret } from './testing/server.js';
import { generateSigningKey } from './tokens/keys.js';

const mainFile = resolve(import.meta.dirname, 'main.ts');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Runs `npm run actions` as a child process with exactly the variables given. */
function runMain(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', mainFile], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function waitFor<T>(read: () => T | undefined, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`Gave up waiting after ${timeoutMs} ms.`);
}

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('actions-main');
});

afterAll(async () => {
  await database?.drop();
});

describe('main', () => {
  it('exits 1 naming a bad variable', async () => {
    const run = runMain({ ACTION_SECRET: testActionSecret });

    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain('Missing DATABASE_URL: it must contain');
    expect(run.stdout()).toBe('');
  });

  it('serves until SIGTERM and then stops', async () => {
    const run = runMain({
      DATABASE_URL: database.url,
      ACTIONS_PORT: '0',
      ACTION_SECRET: testActionSecret,
      ACCI_JWT_PRIVATE_KEY: await generateSigningKey(),
    });
    try {
      const url = await waitFor(
        () => /"url":"([^"]+)".*action server listening/.exec(run.stdout())?.[1],
      );
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);

      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      expect(run.stdout()).toContain('action server stopped');
      expect(run.stderr()).toBe('');
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
