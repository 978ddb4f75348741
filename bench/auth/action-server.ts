import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadActionsConfig, startActionServer } from '@acci/actions';

// Child process of the auth benchmark: the action server with production settings, plus a
// histogram of its own event-loop delay that the parent resets and reads over IPC.

const server = await startActionServer(loadActionsConfig(process.env));
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

process.on('message', (message: unknown) => {
  if (message === 'reset') {
    delay.reset();
    process.send?.({ type: 'reset' });
  } else if (message === 'report') {
    process.send?.({
      type: 'report',
      p50Ms: delay.percentile(50) / 1e6,
      p99Ms: delay.percentile(99) / 1e6,
      maxMs: delay.max / 1e6,
    });
  } else if (message === 'stop') {
    void server.close().then(() => process.exit(0));
  }
});
process.send?.({ type: 'ready', url: server.url });
