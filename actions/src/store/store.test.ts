import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { serviceUrl } from '../../../tests/harness/services.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';
import type { KeyValueStore } from './store.js';

const prefix = `test:store:${randomBytes(4).toString('hex')}:`;
const stores: Array<[string, () => KeyValueStore]> = [
  ['memory', () => createMemoryStore()],
  ['redis', () => createRedisStore(serviceUrl('redis'), prefix, pino({ level: 'silent' }))],
];

describe.each(stores)('%s store', (_name, create) => {
  let store: KeyValueStore;

  beforeAll(() => {
    store = create();
  });

  afterAll(async () => {
    await store.close();
  });

  it('counts within a window', async () => {
    expect(await store.increment('count', 60)).toBe(1);
    expect(await store.increment('count', 60)).toBe(2);
    expect(await store.get('count')).toBe('2');
    const ttl = await store.ttl('count');
    expect(ttl).toBeGreaterThan(55);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('restarts a counter after its window', async () => {
    expect(await store.increment('short', 1)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await store.get('short')).toBeNull();
    expect(await store.increment('short', 1)).toBe(1);
  });

  it('sets a value only when absent', async () => {
    expect(await store.setIfAbsent('flag', 'a', 60)).toBe(true);
    expect(await store.setIfAbsent('flag', 'b', 60)).toBe(false);
    expect(await store.get('flag')).toBe('a');
  });

  it('deletes keys', async () => {
    await store.setIfAbsent('gone', 'x', 60);
    await store.delete('gone', 'missing');
    expect(await store.get('gone')).toBeNull();
    expect(await store.ttl('gone')).toBeNull();
  });
});
