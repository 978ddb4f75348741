/**
 * Narrowing helpers for JSON and YAML read from the case folder. Each throws a `TypeError` that
 * names the offending field, because a malformed `classes.json` is a broken input folder, not an
 * engine failure.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown, where: string): JsonObject {
  if (!isObject(value)) {
    throw new TypeError(`Expected an object at ${where}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

export function stringField(object: JsonObject, key: string, where: string): string {
  const value = object[key];
  if (typeof value !== 'string') {
    throw new TypeError(`Expected a string in "${key}" at ${where}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

export function stringList(object: JsonObject, key: string, where: string): string[] {
  const value = object[key] ?? [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new TypeError(`Expected a list of strings in "${key}" at ${where}.`);
  }
  return value;
}

export function objectList(object: JsonObject, key: string, where: string): JsonObject[] {
  const value = object[key] ?? [];
  if (!Array.isArray(value)) {
    throw new TypeError(`Expected a list in "${key}" at ${where}.`);
  }
  return value.map((item, index) => asObject(item, `${where}.${key}[${index}]`));
}

/** Converts a map of scalars to strings, as environment variables and headers need. */
export function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) {
    return {};
  }
  const object = asObject(value, where);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(object)) {
    result[key] = typeof item === 'string' ? item : JSON.stringify(item);
  }
  return result;
}

/**
 * Tells whether Python would treat the value as false. Upstream checks a case's response with
 * `if exp_response:`, so an empty or missing response means only the status is compared.
 */
export function isPythonFalsy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') {
    return true;
  }
  if (Array.isArray(value)) {
    return value.length === 0;
  }
  return isObject(value) && Object.keys(value).length === 0;
}
