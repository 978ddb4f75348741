import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { ActionError, toErrorResponse } from '../errors.js';
import { fromBodyParserError, isBodyParserError } from './json-body.js';

/** Rejects a request that no route matched with `not-found`. */
export function notFound(request: Request): never {
  throw new ActionError('not-found', `No route matches "${request.method} ${request.path}".`);
}

/**
 * Sends the error response of the error table. Anything that is not an `ActionError` becomes
 * `unexpected` and is logged with its stack, which never reaches the response.
 */
export function errorHandler(fallbackLogger: Logger) {
  return (error: unknown, _request: Request, response: Response, next: NextFunction): void => {
    const context = response.locals.context;
    const logger = context?.logger ?? fallbackLogger;
    let actionError: ActionError;
    if (error instanceof ActionError) {
      actionError = error;
    } else if (isBodyParserError(error)) {
      actionError = fromBodyParserError(error);
    } else {
      logger.error({ err: error }, 'request failed with an unexpected error');
      actionError = new ActionError('unexpected', 'Unexpected error.', { cause: error });
    }
    if (context !== undefined) {
      context.error = { code: actionError.code, message: actionError.message };
    }

    if (response.headersSent) {
      next(error);
      return;
    }
    const { status, body } = toErrorResponse(actionError);
    response.status(status).json(body);
  };
}
