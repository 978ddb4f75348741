import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../../scripts/lib/platform.js';
import { platformConfigFromEnv } from '../../scripts/lib/platform-config.js';
import { findFreePort } from '../../scripts/lib/ports.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'acci-launcher-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('startPlatform', () => {
  it('names the variable of a taken port', async () => {
    const port = await findFreePort();
    const blocker = await occupy(port);
    try {
      const config = platformConfigFromEnv({
        ACCI_DATA_DIR: dataDir,
        ACTIONS_PORT: String(port),
        ACCI_WEB: 'false',
      });
      await expect(startPlatform(config, () => {})).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is already in use: stop what listens there or set ` +
          'ACTIONS_PORT to a free port.',
      );
    } finally {
      blocker.close();
    }
  });

  it('names DATABASE_URL when the server is unreachable', async () => {
    const port = await findFreePort();
    const config = platformConfigFromEnv({
      ACCI_DATA_DIR: dataDir,
      DATABASE_URL: `postgres://acci:hunter2@127.0.0.1:${port}/acci`,
      HASURA_GRAPHQL_SERVER_PORT: '0',
      ACTIONS_PORT: '0',
      ACCI_WEB: 'false',
    });
    const failure = startPlatform(config, () => {});
    await expect(failure).rejects.toThrow(
      `Could not use DATABASE_URL (127.0.0.1:${port}/acci): connect ECONNREFUSED`,
    );
    await expect(failure).rejects.toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('hunter2'),
      }),
    );
  });
});
