import express from 'express';
import { ActionError } from '../errors.js';

/** Largest JSON body accepted, in the notation of body-parser. */
export const jsonBodyLimit = '100kb';

/** Parses `application/json` bodies; other content types leave `request.body` undefined. */
export function jsonBody() {
  return express.json({ limit: jsonBodyLimit });
}

/** Fields that body-parser sets on the errors of `express.json()`. */
interface BodyParserError {
  type: string;
  message: string;
}

export function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    error instanceof Error && 'type' in error && typeof error.type === 'string' && 'expose' in error
  );
}

/**
 * Translates an `express.json()` failure. V8's JSON.parse messages quote the start of the
 * body, which may contain a password, so the quote is removed. The original error carries the
 * whole body and therefore is not kept as the cause.
 */
export function fromBodyParserError(error: BodyParserError): ActionError {
  switch (error.type) {
    case 'entity.parse.failed': {
      const detail = error.message.replace(/,\s*".*"(?:\.\.\.)? is not valid JSON$/s, '');
      return new ActionError('invalid-json', `The request body is not valid JSON: ${detail}.`);
    }
    case 'entity.too.large':
      return new ActionError(
        'payload-too-large',
        `The request body exceeds the limit of ${jsonBodyLimit}.`,
      );
    default:
      return new ActionError(
        'validation-failed',
        `The request body cannot be read (${error.type}).`,
      );
  }
}
