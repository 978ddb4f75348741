import { parse, print } from 'graphql';
import { EngineError } from '../errors.js';
import { adminRole } from '../schema/access.js';
import type { EngineState } from '../state.js';
import type { Session } from './session.js';

function normalise(query: string): string | undefined {
  try {
    return print(parse(query));
  } catch {
    return undefined;
  }
}

/**
 * Rejects a query outside the allowlist when `HASURA_GRAPHQL_ENABLE_ALLOWLIST` is on. Admin
 * is exempt, as in Hasura; collections scoped to roles apply only to those roles.
 */
export function checkAllowlist(state: EngineState, session: Session, query: string): void {
  if (!state.config.enableAllowlist || session.role === adminRole) return;
  const wanted = normalise(query);
  const collections = state.metadata.query_collections ?? [];
  for (const entry of state.metadata.allowlist ?? []) {
    const scope = entry.scope;
    if (scope !== undefined && !scope.global && !(scope.roles ?? []).includes(session.role))
      continue;
    const collection = collections.find((item) => item.name === entry.collection);
    for (const item of collection?.definition.queries ?? []) {
      if (normalise(item.query) === wanted) return;
    }
  }
  throw new EngineError('validation-failed', 'query is not allowed', { status: 200 });
}
