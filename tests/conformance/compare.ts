import { isObject, type JsonObject } from './json-shape.js';

/**
 * One difference between an expected and an actual reply. `shape` differences fail the strict
 * score. `message` differences sit in error wording only (see `isMessageField`) and fail only
 * the message score.
 */
export interface Difference {
  kind: 'shape' | 'message';
  /** JSON path of the difference, `$` being the reply body. */
  path: string;
  expected: unknown;
  actual: unknown;
  note: string;
}

export interface CompareOptions {
  /** True for `/graphql` replies: keys under `data` must then follow the expected order. */
  graphql: boolean;
}

interface WalkState {
  path: string;
  /** Inside a GraphQL `data` value, where key order is the selection set's order. */
  ordered: boolean;
  /** Inside error wording, where every difference counts as `message`. */
  inMessage: boolean;
}

/**
 * Compares a reply body with the expected one by upstream's rules. List order always matters.
 * Object key order matters only under `data` of a GraphQL reply, where the expected reply lists
 * keys in the order of the selection set. Error wording is compared but reported apart.
 */
export function compareBodies(
  expected: unknown,
  actual: unknown,
  options: CompareOptions,
): Difference[] {
  const differences: Difference[] = [];
  walk(expected, actual, { path: '$', ordered: false, inMessage: false }, options, differences);
  return differences;
}

function walk(
  expected: unknown,
  actual: unknown,
  state: WalkState,
  options: CompareOptions,
  out: Difference[],
): void {
  const kind = state.inMessage ? 'message' : 'shape';
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push({
        kind,
        path: state.path,
        expected,
        actual,
        note: 'list differs in length or type',
      });
      return;
    }
    expected.forEach((item, index) => {
      walk(item, actual[index], { ...state, path: `${state.path}[${index}]` }, options, out);
    });
    return;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) {
      out.push({ kind, path: state.path, expected, actual, note: 'expected an object' });
      return;
    }
    walkObject(expected, actual, state, options, out);
    return;
  }
  if (expected !== actual) {
    out.push({ kind, path: state.path, expected, actual, note: 'value differs' });
  }
}

function walkObject(
  expected: JsonObject,
  actual: JsonObject,
  state: WalkState,
  options: CompareOptions,
  out: Difference[],
): void {
  const kind = state.inMessage ? 'message' : 'shape';
  for (const key of Object.keys(actual)) {
    if (!(key in expected)) {
      out.push({
        kind,
        path: `${state.path}.${key}`,
        expected: undefined,
        actual: actual[key],
        note: 'unexpected key',
      });
    }
  }
  for (const key of Object.keys(expected)) {
    const messageField = state.ordered ? 'none' : isMessageField(expected, key);
    const child: WalkState = {
      path: `${state.path}.${key}`,
      ordered: state.ordered || (options.graphql && state.path === '$' && key === 'data'),
      inMessage: state.inMessage || messageField !== 'none',
    };
    if (!(key in actual)) {
      // A missing message key is a shape difference, but missing `internal` detail is wording.
      const missingKind = state.inMessage || messageField === 'detail' ? 'message' : 'shape';
      out.push({
        kind: missingKind,
        path: child.path,
        expected: expected[key],
        actual: undefined,
        note: 'missing key',
      });
      continue;
    }
    walk(expected[key], actual[key], child, options, out);
  }
  if (state.ordered && !state.inMessage) {
    checkKeyOrder(expected, actual, state.path, out);
  }
}

/** Reports a key order difference when both objects have the same keys in another order. */
function checkKeyOrder(expected: JsonObject, actual: JsonObject, path: string, out: Difference[]) {
  const expectedKeys = Object.keys(expected);
  const actualKeys = Object.keys(actual);
  const sameSet =
    expectedKeys.length === actualKeys.length && expectedKeys.every((key) => key in actual);
  if (sameSet && expectedKeys.some((key, index) => actualKeys[index] !== key)) {
    out.push({
      kind: 'shape',
      path,
      expected: expectedKeys,
      actual: actualKeys,
      note: 'key order differs from the selection set',
    });
  }
}

/**
 * Classifies error wording. `message` of a GraphQL error and `error` of a `/v1/query` style
 * error (an object that also has `code`) are `text`: their presence is checked strictly and
 * their wording by the message score. `internal` (the database's own diagnostics, whose wording
 * changes between PostgreSQL versions) is `detail`: presence and contents are both wording.
 * Nothing under GraphQL `data` is wording, so callers skip this there.
 */
export function isMessageField(parent: JsonObject, key: string): 'none' | 'text' | 'detail' {
  if (key === 'internal') {
    return 'detail';
  }
  const errorLike = 'extensions' in parent || 'path' in parent || 'locations' in parent;
  if (key === 'message' && typeof parent.message === 'string' && errorLike) {
    return 'text';
  }
  if (key === 'error' && typeof parent.error === 'string' && 'code' in parent) {
    return 'text';
  }
  return 'none';
}

/** Splits differences into the strict verdict and the message verdict. */
export function verdicts(differences: Difference[]): { strict: boolean; message: boolean } {
  return {
    strict: differences.every((item) => item.kind === 'message'),
    message: differences.length === 0,
  };
}
