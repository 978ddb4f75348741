import { ident, join, literal, type Sql, sql } from './sql.js';

/** Postgres caps function arguments at 100, so `json_build_object` takes 50 pairs at most. */
const maxPairs = 50;

/**
 * Builds a JSON object that keeps the key order of `pairs`. Wider objects go through
 * `row_to_json` over aliased columns, which has no argument limit.
 */
export function jsonObject(pairs: readonly [string, Sql][]): Sql {
  if (pairs.length <= maxPairs) {
    const args = pairs.map(([key, value]) => sql`${literal(key)}, ${value}`);
    return sql`json_build_object(${join(args, ', ')})`;
  }
  const columns = pairs.map(([key, value]) => sql`${value} AS ${ident(key)}`);
  return sql`(SELECT row_to_json(_wide) FROM (SELECT ${join(columns, ', ')}) AS _wide)`;
}
