import {
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { EngineLimits } from '../config/env.js';
import { EngineError } from '../errors.js';
import type { Metadata } from '../metadata/types.js';
import { adminRole } from '../schema/access.js';
import { isRecord } from '../util/json.js';

/** The limits that apply to one request, each undefined when nothing limits it. */
export interface RequestLimits {
  maxDepth: number | undefined;
  maxNodes: number | undefined;
  maxBatchSize: number | undefined;
  statementTimeoutMs: number | undefined;
}

type LimitName = 'depth_limit' | 'node_limit' | 'batch_limit' | 'time_limit';

/**
 * Reads one limit of Hasura's `api_limits` metadata for a role: its `per_role` entry, or else
 * `global`. Hasura applies no API limit to admin, and none while `disabled` is true.
 */
function apiLimit(metadata: Metadata, name: LimitName, role: string): number | undefined {
  const limits = metadata.api_limits;
  if (!isRecord(limits) || limits.disabled === true || role === adminRole) return undefined;
  const limit = limits[name];
  if (!isRecord(limit)) return undefined;
  const perRole = isRecord(limit.per_role) ? limit.per_role[role] : undefined;
  const value = perRole ?? limit.global;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function positive(value: number): number | undefined {
  return value > 0 ? value : undefined;
}

/**
 * Resolves the limits of a request by `role`: `api_limits` from the metadata first, then the
 * engine's own defaults, which apply to every role, admin included.
 */
export function requestLimits(
  metadata: Metadata,
  role: string,
  defaults: EngineLimits,
): RequestLimits {
  const seconds = apiLimit(metadata, 'time_limit', role);
  return {
    maxDepth: apiLimit(metadata, 'depth_limit', role) ?? positive(defaults.maxDepth),
    maxNodes: apiLimit(metadata, 'node_limit', role) ?? positive(defaults.maxNodes),
    maxBatchSize: apiLimit(metadata, 'batch_limit', role),
    statementTimeoutMs:
      seconds === undefined ? positive(defaults.statementTimeoutMs) : Math.ceil(seconds * 1000),
  };
}

interface Measure {
  depth: number;
  nodes: number;
}

interface Walk {
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  maxDepth: number;
  maxNodes: number;
  /** Measures of fragments relative to their spread, so each fragment is walked once. */
  measured: Map<string, Measure>;
  visiting: Set<string>;
}

/** Fields of the introspection system, which Hasura leaves out of the depth limit. */
function isIntrospection(name: string): boolean {
  return name === '__schema' || name === '__type';
}

function fragmentMeasure(name: string, walk: Walk): Measure | undefined {
  const known = walk.measured.get(name);
  if (known !== undefined) return known;
  const fragment = walk.fragments.get(name);
  if (fragment === undefined || walk.visiting.has(name)) return undefined;
  walk.visiting.add(name);
  const found = measure(fragment.selectionSet, walk, 0, false);
  walk.visiting.delete(name);
  walk.measured.set(name, found);
  return found;
}

/**
 * Measures a selection set as Hasura's API limits count it: a node is a field with a selection
 * set, and depth is the longest chain of such fields. Fragments count wherever they are
 * spread. The walk stops as soon as a limit is passed.
 */
function measure(
  selectionSet: SelectionSetNode,
  walk: Walk,
  depth: number,
  root: boolean,
): Measure {
  let deepest = depth;
  let nodes = 0;
  const stack = [...selectionSet.selections];
  while (stack.length > 0 && nodes <= walk.maxNodes && deepest <= walk.maxDepth) {
    const selection = stack.pop();
    if (selection === undefined) break;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      stack.push(...selection.selectionSet.selections);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const inner = fragmentMeasure(selection.name.value, walk);
      if (inner === undefined) continue;
      nodes += inner.nodes;
      deepest = Math.max(deepest, depth + inner.depth);
      continue;
    }
    if (selection.selectionSet === undefined) continue;
    nodes += 1;
    // Introspection fields add nodes but no depth.
    const fieldDepth = root && isIntrospection(selection.name.value) ? -Infinity : depth + 1;
    const inner = measure(selection.selectionSet, walk, fieldDepth, false);
    nodes += inner.nodes;
    deepest = Math.max(deepest, inner.depth);
  }
  return { depth: deepest, nodes };
}

function limitError(message: string): EngineError {
  return new EngineError('validation-failed', message, { status: 200 });
}

/**
 * Rejects an operation deeper than `maxDepth` or with more nodes than `maxNodes`, before it is
 * compiled or sent to Postgres.
 */
// NOTE: Hasura enforces api_limits only in its Cloud and Enterprise editions, whose source is
// closed, so the wording of these messages is the engine's own.
export function checkOperationLimits(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  limits: RequestLimits,
): void {
  const maxDepth = limits.maxDepth ?? Infinity;
  const maxNodes = limits.maxNodes ?? Infinity;
  if (maxDepth === Infinity && maxNodes === Infinity) return;
  const walk: Walk = { fragments, maxDepth, maxNodes, measured: new Map(), visiting: new Set() };
  const found = measure(operation.selectionSet, walk, 0, true);
  if (found.depth > maxDepth) {
    throw limitError(
      `The depth of the query exceeds the limit of ${maxDepth}. Nest fewer relationships.`,
    );
  }
  if (found.nodes > maxNodes) {
    throw limitError(
      `The number of nodes in the query exceeds the limit of ${maxNodes}. ` +
        'Select fewer fields with selection sets, or split the query.',
    );
  }
}

/** Rejects a batched request with more operations than the role's `batch_limit`. */
export function checkBatchLimit(size: number, limits: RequestLimits): void {
  if (limits.maxBatchSize === undefined || size <= limits.maxBatchSize) return;
  throw limitError(
    `The number of operations in the batch (${size}) exceeds the limit of ` +
      `${limits.maxBatchSize}. Send the operations in smaller batches.`,
  );
}
