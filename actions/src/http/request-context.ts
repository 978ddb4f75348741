import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { ActionErrorCode } from '../errors.js';

/** Per-request state that handlers fill in and the request log line reports. */
export interface RequestContext {
  requestId: string;
  /** Child logger that adds `requestId` to every line. */
  logger: Logger;
  tenantId?: string;
  userId?: string;
  /** Code and internal message of the error the request failed with, for the log line. */
  error?: { code: ActionErrorCode; message: string };
}

declare global {
  namespace Express {
    interface Locals {
      context: RequestContext;
    }
  }
}

// Accepted forms of an incoming x-request-id; anything else is replaced so a client cannot
// write arbitrary text into the logs.
const requestIdPattern = /^[\w.:-]{1,128}$/;

/**
 * Sets up `res.locals.context`, echoes the request id in `x-request-id`, and logs one line per
 * request when the response closes: warn for 4xx, error for 5xx, info otherwise.
 */
export function requestLogging(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const incoming = request.get('x-request-id');
    const requestId =
      incoming !== undefined && requestIdPattern.test(incoming) ? incoming : randomUUID();
    const context: RequestContext = { requestId, logger: logger.child({ requestId }) };
    response.locals.context = context;
    response.set('x-request-id', requestId);

    const started = process.hrtime.bigint();
    response.on('close', () => {
      const status = response.statusCode;
      const line = {
        method: request.method,
        path: request.path,
        status,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        tenantId: context.tenantId,
        userId: context.userId,
        errorCode: context.error?.code,
        error: context.error?.message,
        aborted: response.writableFinished ? undefined : true,
      };
      if (status >= 500) context.logger.error(line, 'request completed');
      else if (status >= 400) context.logger.warn(line, 'request completed');
      else context.logger.info(line, 'request completed');
    });
    next();
  };
}
