import type { Request, Response } from 'express';
import type { SigningKey } from '../tokens/keys.js';

/**
 * Serves the public signing key as a JWK Set. Hasura's `jwk_url` honours the max-age, so a new
 * key reaches it within five minutes.
 */
export function jwksHandler(key: SigningKey) {
  const body = JSON.stringify({ keys: [key.publicJwk] });
  return (_request: Request, response: Response): void => {
    response.set('cache-control', 'public, max-age=300');
    response.type('application/json').send(body);
  };
}
