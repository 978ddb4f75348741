import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { Log } from '../state.js';

type KeyResolver = ReturnType<typeof createLocalJWKSet>;

/** Fallback lifetime of a fetched key set when the response sets no caching headers. */
const defaultMaxAgeMs = 5 * 60 * 1000;
/** Shortest gap between two refetches caused by unknown `kid`s, so bad tokens cannot flood the URL. */
const refetchGapMs = 5 * 1000;

/** Reads the lifetime of a response from `Cache-Control: max-age` or `Expires`. */
export function cacheLifetimeMs(headers: Headers, now: number): number {
  const control = headers.get('cache-control') ?? '';
  const maxAge = /(?:^|,)\s*(?:s-)?max-age=(\d+)/i.exec(control);
  if (/no-cache|no-store/i.test(control)) return 0;
  if (maxAge?.[1] !== undefined) return Number(maxAge[1]) * 1000;
  const expires = headers.get('expires');
  if (expires !== null) {
    const at = Date.parse(expires);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  return defaultMaxAgeMs;
}

/**
 * A JWK set fetched from `jwk_url`, cached for as long as its response allows and fetched
 * again when a token names a key the cached set lacks.
 */
export class RemoteKeySet {
  private resolver: KeyResolver | undefined;
  private expiresAt = 0;
  private lastForcedFetch = 0;
  private pending: Promise<KeyResolver> | undefined;

  constructor(
    private readonly url: string,
    private readonly log: Log,
  ) {}

  private async fetchKeys(): Promise<KeyResolver> {
    const response = await fetch(this.url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok)
      throw new Error(`fetching the JWK set from ${this.url} failed with HTTP ${response.status}`);
    const body = (await response.json()) as JSONWebKeySet;
    this.resolver = createLocalJWKSet(body);
    this.expiresAt = Date.now() + cacheLifetimeMs(response.headers, Date.now());
    this.log({ level: 'info', type: 'jwk-refresh', url: this.url, keys: body.keys?.length ?? 0 });
    return this.resolver;
  }

  private load(force: boolean): Promise<KeyResolver> {
    const fresh = this.resolver !== undefined && Date.now() < this.expiresAt;
    if (fresh && !force && this.resolver !== undefined) return Promise.resolve(this.resolver);
    if (force && this.resolver !== undefined) {
      if (Date.now() - this.lastForcedFetch < refetchGapMs) return Promise.resolve(this.resolver);
      this.lastForcedFetch = Date.now();
    }
    this.pending ??= this.fetchKeys().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** The key resolver for `jwtVerify`, refetching once when no key matches. */
  readonly getKey: KeyResolver = (async (header, token) => {
    const resolver = await this.load(false);
    try {
      return await resolver(header, token);
    } catch (error) {
      if (
        !(error instanceof Error) ||
        !('code' in error) ||
        error.code !== 'ERR_JWKS_NO_MATCHING_KEY'
      )
        throw error;
      const refreshed = await this.load(true);
      return refreshed(header, token);
    }
  }) as KeyResolver;
}
