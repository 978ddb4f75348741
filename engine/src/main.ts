import { type EngineConfig, engineConfigFromEnv } from './config/env.js';
import { startEngine } from './start.js';

function writeLine(entry: object): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

let config: EngineConfig;
try {
  config = engineConfigFromEnv(process.env);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

const engine = await startEngine(config, { log: writeLine }).catch((error: unknown) => {
  writeLine({
    level: 'error',
    type: 'startup',
    message: error instanceof Error ? error.message : String(error),
  });
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    writeLine({ level: 'info', type: 'signal', signal });
    engine.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
