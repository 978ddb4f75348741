import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { KeyValueStore } from './store.js';

/**
 * Creates the Redis-backed store. Every key gets `prefix`, so several deployments or test
 * files can share one Redis. Commands fail fast while Redis is unreachable instead of
 * queueing, because a sign-in must not hang on a counter.
 */
export function createRedisStore(url: string, prefix: string, logger: Logger): KeyValueStore {
  const redis = new Redis(url, {
    keyPrefix: prefix,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // ioredis repeats the same error on every reconnect attempt; log each new message once.
    if (error.message === lastError) return;
    lastError = error.message;
    logger.error({ err: { message: error.message } }, 'redis connection failed');
  });
  redis.on('ready', () => {
    lastError = '';
  });

  return {
    async increment(key, windowSeconds) {
      // SET NX starts the window on the first hit; INCR keeps the expiry that SET gave.
      const results = await redis.multi().set(key, '0', 'EX', windowSeconds, 'NX').incr(key).exec();
      const [, incremented] = results ?? [];
      if (incremented === undefined || incremented[0] !== null) {
        throw incremented?.[0] ?? new Error('Redis MULTI returned no result for INCR.');
      }
      return Number(incremented[1]);
    },
    async get(key) {
      return redis.get(key);
    },
    async setIfAbsent(key, value, ttlSeconds) {
      return (await redis.set(key, value, 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async ttl(key) {
      const seconds = await redis.ttl(key);
      return seconds < 0 ? null : seconds;
    },
    async delete(...keys) {
      if (keys.length > 0) await redis.del(...keys);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
