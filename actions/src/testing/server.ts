import type { DestinationStream } from 'pino';
import type { PasswordHashOptions } from '../auth/password.js';
import { type ActionsConfig, loadActionsConfig } from '../config.js';
import { createLogger } from '../logging.js';
import { type ActionServer, startActionServer } from '../server.js';
import { generateSigningKey } from '../tokens/keys.js';

/** Action secret of every test server. */
export const testActionSecret = 'test-action-secret-0123456789abcdef';

/** Cheap argon2id parameters so tests do not spend 19 MiB and two passes per hash. */
export const testPasswordHashing: PasswordHashOptions = {
  memoryCost: 1024,
  timeCost: 1,
  parallelism: 1,
};

let signingKey: Promise<string> | undefined;

/** Builds a config as `loadActionsConfig` would, on port 0 and with cheap password hashing. */
export async function testConfig(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ActionsConfig> {
  signingKey ??= generateSigningKey();
  const config = loadActionsConfig({
    DATABASE_URL: databaseUrl,
    ACTIONS_PORT: '0',
    ACTION_SECRET: testActionSecret,
    ACCI_JWT_PRIVATE_KEY: await signingKey,
    LOG_LEVEL: 'info',
    ...env,
  });
  return { ...config, passwordHashing: testPasswordHashing };
}

/** A test server with the log lines it wrote. */
export interface TestServer extends ActionServer {
  config: ActionsConfig;
  /** Raw JSON lines, for checks that a value never appears anywhere in the log. */
  logText(): string;
  logs(): Array<Record<string, unknown>>;
}

export async function startTestServer(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<TestServer> {
  const config = await testConfig(databaseUrl, env);
  const lines: string[] = [];
  const destination: DestinationStream = { write: (line: string) => void lines.push(line) };
  const server = await startActionServer(config, {
    logger: createLogger(config.logLevel, destination),
  });
  return {
    ...server,
    config,
    logText: () => lines.join(''),
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Posts a Hasura action payload with the action secret, as Hasura does. */
export function callAction(
  server: { url: string },
  name: string,
  input: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${server.url}/${name}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-acci-action-secret': testActionSecret,
      ...headers,
    },
    body: JSON.stringify({
      action: { name },
      input,
      session_variables: { 'x-hasura-role': 'anonymous' },
      request_query: `mutation { ${name} { accessToken } }`,
    }),
  });
}
