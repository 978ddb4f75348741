import type { KeyValueStore } from './store.js';

interface Entry {
  value: string;
  /** Expiry time in milliseconds since the epoch. */
  expiresAt: number;
}

/** Most entries kept; past it, expired entries are swept before the next insert. */
const sweepThreshold = 10_000;

/**
 * Creates the in-process store. Expired entries are dropped when read and swept once the map
 * grows past 10,000 entries, so the map needs no timer.
 */
export function createMemoryStore(now: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, Entry>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const put = (key: string, value: string, ttlSeconds: number) => {
    if (entries.size >= sweepThreshold) {
      for (const [name, entry] of entries) if (entry.expiresAt <= now()) entries.delete(name);
    }
    entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
  };

  return {
    async increment(key, windowSeconds) {
      const entry = live(key);
      if (entry === undefined) {
        put(key, '1', windowSeconds);
        return 1;
      }
      const count = Number(entry.value) + 1;
      entry.value = String(count);
      return count;
    },
    async get(key) {
      return live(key)?.value ?? null;
    },
    async setIfAbsent(key, value, ttlSeconds) {
      if (live(key) !== undefined) return false;
      put(key, value, ttlSeconds);
      return true;
    },
    async ttl(key) {
      const entry = live(key);
      return entry === undefined ? null : Math.ceil((entry.expiresAt - now()) / 1000);
    },
    async delete(...keys) {
      for (const key of keys) entries.delete(key);
    },
    async close() {
      entries.clear();
    },
  };
}
