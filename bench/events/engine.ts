import { engineConfigFromEnv, startEngine } from '../../engine/src/index.js';

// Child process of the events benchmark: one engine configured by the environment, so the
// parent can stop it gracefully or kill it with SIGKILL in the middle of a flood.

const engine = await startEngine(engineConfigFromEnv(process.env));
process.on('message', (message: unknown) => {
  if (message === 'stop') void engine.close().then(() => process.exit(0));
});
process.send?.({ type: 'ready', url: engine.url });
