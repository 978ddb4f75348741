/**
 * Short-lived shared state of the action server: rate-limit and failure counters, lockout
 * flags and other values that expire. Redis backs it when REDIS_URL is set, otherwise an
 * in-process map with the same behaviour, which only suits a single action server.
 */
export interface KeyValueStore {
  /**
   * Adds one to the counter `key` and returns the new count. The first increment starts a
   * fixed window of `windowSeconds`, after which the counter disappears.
   */
  increment(key: string, windowSeconds: number): Promise<number>;
  /** Returns the value of `key`, or null when it is missing or expired. */
  get(key: string): Promise<string | null>;
  /**
   * Sets `key` to `value` for `ttlSeconds` unless it exists. Returns true when this call set
   * it, so only one of several concurrent callers acts on the change.
   */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Seconds until `key` expires, or null when it is missing. */
  ttl(key: string): Promise<number | null>;
  delete(...keys: string[]): Promise<void>;
  close(): Promise<void>;
}
