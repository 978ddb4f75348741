import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ActionError } from '../errors.js';

export const actionSecretHeader = 'x-acci-action-secret';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Rejects with `unauthorized` every request whose `x-acci-action-secret` header differs from
 * `secret`. Both sides are hashed first, so the comparison takes the same time whatever the
 * length or content of the header.
 */
export function requireActionSecret(secret: string) {
  const expected = digest(secret);
  return (request: Request, _response: Response, next: NextFunction): void => {
    const received = request.get(actionSecretHeader);
    if (received === undefined) {
      throw new ActionError('unauthorized', `The request has no "${actionSecretHeader}" header.`);
    }
    if (!timingSafeEqual(digest(received), expected)) {
      throw new ActionError(
        'unauthorized',
        `The "${actionSecretHeader}" header does not match ACTION_SECRET.`,
      );
    }
    next();
  };
}
