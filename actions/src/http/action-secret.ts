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
    const given = request.get(actionSecretHeader);
    if (given === undefined) {
      throw new ActionError('unauthorized', `The request has no "${actionSecretHeader}" header.`);
    }
    if (!timingSafeEqual(digest(given), expected)) {
      throw new ActionError('unauthorized', `The "${actionSecretHeader}" header is wrong.`);
    }
    next();
  };
}
