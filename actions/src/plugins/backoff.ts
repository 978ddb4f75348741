/**
 * Wait before the next attempt after `attempt` failures, with full jitter: a random time
 * between 0 and min(maxMs, baseMs * 2^(attempt - 1)), so plugins that fail together do not
 * retry together.
 */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
