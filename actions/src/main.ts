import { type ActionsConfig, loadActionsConfig } from './config.js';
import { createLogger } from './logging.js';
import { startActionServer } from './server.js';

// Entry point of `npm run actions`: reads the environment, serves until SIGINT or SIGTERM.

let config: ActionsConfig;
try {
  config = loadActionsConfig(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const logger = createLogger(config.logLevel);
let server: Awaited<ReturnType<typeof startActionServer>>;
try {
  server = await startActionServer(config, { logger });
} catch (error) {
  logger.fatal({ err: error }, 'action server failed to start');
  process.exit(1);
}

async function stop(signal: NodeJS.Signals): Promise<void> {
  logger.info({ signal }, 'stopping the action server');
  try {
    await server.close();
  } catch (error) {
    logger.error({ err: error }, 'action server failed to stop cleanly');
    process.exitCode = 1;
  }
}

process.once('SIGINT', (signal) => void stop(signal));
process.once('SIGTERM', (signal) => void stop(signal));
