import type { EngineError } from '../errors.js';

/** A finished GraphQL response as JSON text, with data spliced in as Postgres returned it. */
export function dataResponse(parts: readonly [string, string][]): string {
  const fields = parts.map(([key, json]) => `${JSON.stringify(key)}:${json}`);
  return `{"data":{${fields.join(',')}}}`;
}

/** Hasura's GraphQL error body. `internal` is only added in dev mode. */
export function errorBody(error: EngineError, devMode: boolean): Record<string, unknown> {
  const extensions: Record<string, unknown> = error.showPath ? { path: error.path } : {};
  Object.assign(extensions, error.extensions ?? {}, { code: error.code });
  if (devMode && error.cause !== undefined) {
    extensions.internal = {
      error: error.cause instanceof Error ? error.cause.message : String(error.cause),
    };
  }
  return { errors: [{ message: error.message, extensions }] };
}
