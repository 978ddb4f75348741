/** Latency and throughput of one closed-loop run. */
export interface LoadResult {
  requests: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/**
 * Runs `concurrency` workers for `durationMs`; each calls `request` in a loop, one at a time,
 * and the run stops by itself at the deadline. `setup` runs once per worker before the clock
 * starts and returns the worker's state, which `request` may replace.
 */
export async function closedLoop<State>(options: {
  concurrency: number;
  durationMs: number;
  setup: (worker: number) => Promise<State>;
  request: (state: State) => Promise<{ ok: boolean; state: State }>;
}): Promise<LoadResult> {
  const states: State[] = await Promise.all(
    Array.from({ length: options.concurrency }, (_, worker) => options.setup(worker)),
  );
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  await Promise.all(
    states.map(async (initial) => {
      let state = initial;
      while (performance.now() < deadline) {
        const begin = performance.now();
        const result = await options.request(state);
        latencies.push(performance.now() - begin);
        if (result.ok) state = result.state;
        else errors += 1;
      }
    }),
  );
  const elapsedSeconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / elapsedSeconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}
