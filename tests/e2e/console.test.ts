import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { ensureProgram } from '../../scripts/lib/debian.js';
import { findFreePort } from '../../scripts/lib/ports.js';
import { createTestDatabase, type TestDatabase } from '../harness/db.js';

const root = resolve(import.meta.dirname, '../..');
const chromiumPath = '/usr/bin/chromium';
const demoPassword = 'Console-Passw0rd-e2e';

let child: ChildProcess;
let output = '';
let browser: Browser;
let database: TestDatabase;
let dataDir: string;
let consoleUrl: string;

/** Resolves when the launcher has printed its banner, or rejects when it exits first. */
function waitForBanner(process: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`No banner in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    process.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ACCI is running.')) {
        clearTimeout(timer);
        resolvePromise();
      }
    });
    process.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    process.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`));
    });
  });
}

beforeAll(async () => {
  ensureProgram(chromiumPath, ['chromium']);
  database = await createTestDatabase('e2e-console', { migrated: false });
  dataDir = await mkdtemp(join(tmpdir(), 'acci-console-'));
  const webPort = await findFreePort();
  consoleUrl = `http://127.0.0.1:${webPort}`;
  child = spawn(join(root, 'node_modules/.bin/tsx'), ['scripts/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      ACCI_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      ACCI_ADMIN_PASSWORD: demoPassword,
      HASURA_GRAPHQL_SERVER_PORT: String(await findFreePort()),
      ACTIONS_PORT: String(await findFreePort()),
      ACCI_WEB_PORT: String(webPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForBanner(child, 60_000);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('console', () => {
  it('signs in and lists the tenant users', async () => {
    const page = await browser.newPage();
    await page.goto(consoleUrl);
    await page.getByLabel('Organisation').fill('acme.test');
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Users of acme.test' }).waitFor({ timeout: 10_000 });
    // The heading shows while the users query is still loading; wait for the rows.
    await page.getByRole('cell', { name: 'dave@acme.test' }).waitFor({ timeout: 10_000 });
    const emails = await page.locator('tbody tr td:first-child').allTextContents();
    expect(emails).toEqual(['admin@acme.test', 'carol@acme.test', 'dave@acme.test']);
    await page.close();
  });

  it('shows one message for a wrong password', async () => {
    const page = await browser.newPage();
    await page.goto(consoleUrl);
    await page.getByLabel('Organisation').fill('acme.test');
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toContain(
      'The email, password or organisation is not correct.',
    );
    await page.close();
  });

  it('stops every server on SIGINT', async () => {
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
    child.kill('SIGINT');
    // tsx, which runs the launcher, reports a run ended by SIGINT as 130, the shell's code.
    expect([0, 130]).toContain(await exited);
    expect(output).toContain('[acci] Stopping.');
    expect(output).not.toContain('Stopping failed');
    await expect(fetch(consoleUrl)).rejects.toThrow();
  });
});
