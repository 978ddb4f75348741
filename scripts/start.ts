/**
 * `npm start`: runs the whole platform on this machine and prints where to find it.
 * Settings come from the environment and, when present, from a `.env` file at the root.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Platform, startPlatform } from './lib/platform.js';
import { ConfigError, platformConfigFromEnv } from './lib/platform-config.js';

const envFile = resolve(import.meta.dirname, '../.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

const log = (message: string) => console.log(`[acci] ${message}`);

let config: ReturnType<typeof platformConfigFromEnv>;
try {
  config = platformConfigFromEnv(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`[acci] ${error.message}`);
  process.exit(1);
}

// A signal during start-up is remembered and handled once the step in progress has ended, so
// no half-applied migration or orphaned PostgreSQL is left behind.
let stopRequested = false;
const requestStop = () => {
  if (!stopRequested) log('Stopping once the current start-up step has ended.');
  stopRequested = true;
};
process.on('SIGINT', requestStop);
process.on('SIGTERM', requestStop);

let platform: Platform;
try {
  platform = await startPlatform(config, log);
} catch (error) {
  console.error(
    `[acci] The platform did not start: ${error instanceof Error ? error.message : error}`,
  );
  process.exit(1);
}
process.off('SIGINT', requestStop);
process.off('SIGTERM', requestStop);

let stopping = false;
const stop = (running: Platform) => {
  if (stopping) return;
  stopping = true;
  log('Stopping.');
  running.stop().then(
    () => process.exit(0),
    (error) => {
      console.error(`[acci] Stopping failed: ${String(error)}`);
      process.exit(1);
    },
  );
};

if (stopRequested) {
  stop(platform);
} else {
  printBanner(platform);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(platform));
}

function printBanner(running: Platform): void {
  const lines = [
    '',
    'ACCI is running.',
    `  Console         ${running.urls.console ?? '(not started: ACCI_WEB=false)'}`,
    `  GraphQL         ${running.urls.graphql}`,
    `  REST            ${running.urls.engine}/api/rest/auth/login`,
    `  Action server   ${running.urls.actions}`,
    `  Admin secret    ${running.adminSecret}`,
    '',
    'Sign in to the console with organisation demo.test, email admin@demo.test',
    `and password ${running.demoPassword}`,
    '(also acme.test / admin@acme.test, and platform@acci.test in acci.test).',
  ];
  if (!running.seeded) {
    lines.push(
      'The demo data was seeded on an earlier start; its password is unchanged since then.',
    );
  }
  lines.push('Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
}
