import type { Request, Response } from 'express';
import type { SigningKey } from '../tokens/keys.js';

/**
 * Serves the public signing key as a JWK Set. A verifier that honours max-age, such as the
 * engine's JWKS fetcher, picks up a new key within five minutes.
 */
export function jwksHandler(key: SigningKey) {
  const body = JSON.stringify({ keys: [key.publicJwk] });
  return (_request: Request, response: Response): void => {
    response.set('cache-control', 'public, max-age=300');
    response.type('application/json').send(body);
  };
}
