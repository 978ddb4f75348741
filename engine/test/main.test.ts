import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../tests/harness/db.js';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const main = join(root, 'engine', 'src', 'main.ts');

function run(env: Record<string, string>) {
  const child = spawn(tsx, [main], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exit, output: () => ({ stdout, stderr }) };
}

describe('main', () => {
  it('exits 1 with the config error', async () => {
    const process = run({});
    expect(await process.exit).toBe(1);
    expect(process.output().stderr).toContain('HASURA_GRAPHQL_DATABASE_URL is missing');
  });

  describe('with a database', () => {
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createTestDatabase('engine-main', { migrated: false });
    });

    afterAll(async () => {
      await db.drop();
    });

    it('logs JSON lines and stops on SIGTERM', async () => {
      const process = run({
        HASURA_GRAPHQL_DATABASE_URL: db.url,
        HASURA_GRAPHQL_SERVER_PORT: '0',
        HASURA_GRAPHQL_SERVER_HOST: '127.0.0.1',
      });
      const deadline = Date.now() + 20_000;
      let url: string | undefined;
      while (url === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const line = process
          .output()
          .stdout.split('\n')
          .find((text) => text.includes('"type":"startup"'));
        if (line !== undefined) url = (JSON.parse(line) as { url: string }).url;
      }
      if (url === undefined)
        throw new Error(`no startup line: ${JSON.stringify(process.output())}`);
      const health = await fetch(`${url}/healthz`);
      expect(await health.text()).toBe('OK');
      process.child.kill('SIGTERM');
      expect(await process.exit).toBe(0);
      const lines = process.output().stdout.trim().split('\n');
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(lines.some((line) => line.includes('"type":"shutdown"'))).toBe(true);
    }, 30_000);
  });
});
