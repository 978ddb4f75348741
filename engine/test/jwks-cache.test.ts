import { cacheLifetimeMs } from '../src/auth/jwks.js';

describe('cacheLifetimeMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads max-age in seconds', () => {
    expect(cacheLifetimeMs(new Headers({ 'cache-control': 'public, max-age=600' }), now)).toBe(
      600_000,
    );
  });

  it('prefers max-age over Expires', () => {
    const headers = new Headers({
      'cache-control': 'max-age=60',
      expires: 'Thu, 01 Jan 2026 01:00:00 GMT',
    });
    expect(cacheLifetimeMs(headers, now)).toBe(60_000);
  });

  it('falls back to Expires', () => {
    const headers = new Headers({ expires: 'Thu, 01 Jan 2026 00:10:00 GMT' });
    expect(cacheLifetimeMs(headers, now)).toBe(600_000);
  });

  it('does not cache no-store responses', () => {
    expect(cacheLifetimeMs(new Headers({ 'cache-control': 'no-store' }), now)).toBe(0);
  });

  it('uses five minutes without caching headers', () => {
    expect(cacheLifetimeMs(new Headers(), now)).toBe(300_000);
  });
});
