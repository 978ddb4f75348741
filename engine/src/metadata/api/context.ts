import { EngineError } from '../../errors.js';
import type { EngineState } from '../../state.js';
import { isRecord, type JsonObject } from '../../util/json.js';
import type { Metadata } from '../types.js';

/** What a metadata API operation works on: the live state and a draft to change. */
export interface OperationContext {
  state: EngineState;
  /** The metadata as it will be stored if every operation of the request succeeds. */
  draft: Metadata;
  /** Set when the draft changed and must be stored. */
  changed: boolean;
  /** Set when the database schema may have changed and must be read again. */
  schemaChanged: boolean;
  /** Set when an operation already decided which inconsistencies to accept. */
  consistencyChecked: boolean;
  /** `version` of the request body, which selects the response shape of some operations. */
  version: number | undefined;
}

export type Operation = (context: OperationContext, args: JsonObject) => Promise<unknown>;

export const success = { message: 'success' };

export function parseFailed(message: string, path = '$.args'): EngineError {
  return new EngineError('parse-failed', message, { path });
}

export function argsObject(value: unknown): JsonObject {
  if (value === undefined || value === null) return {};
  if (!isRecord(value))
    throw parseFailed(
      `parsing Object failed, expected Object, but encountered ${Array.isArray(value) ? 'Array' : typeof value}`,
      '$.args',
    );
  return value;
}

export function requireString(args: JsonObject, key: string): string {
  const value = args[key];
  if (typeof value !== 'string') throw parseFailed(`key "${key}" not found`, '$.args');
  return value;
}
