import type { InconsistentObject } from '../../schema/model.js';
import type { Metadata } from '../types.js';

/**
 * Removes inconsistent tables, relationships and computed fields from `metadata` and returns
 * whether anything was removed. Objects are matched by the definition they were built from.
 */
export function pruneInconsistent(
  metadata: Metadata,
  inconsistent: readonly InconsistentObject[],
): boolean {
  const bad = new Set(inconsistent.map((item) => JSON.stringify(item.definition)));
  let removed = false;
  const keep = <T>(items: T[] | undefined): T[] | undefined => {
    if (items === undefined) return undefined;
    const remaining = items.filter((item) => !bad.has(JSON.stringify(item)));
    if (remaining.length !== items.length) removed = true;
    return remaining;
  };
  for (const source of metadata.sources) {
    const tables = source.tables.filter((entry) => !bad.has(JSON.stringify(entry.table)));
    if (tables.length !== source.tables.length) removed = true;
    source.tables = tables;
    for (const entry of tables) {
      const objectRelationships = keep(entry.object_relationships);
      const arrayRelationships = keep(entry.array_relationships);
      const computedFields = keep(entry.computed_fields);
      if (objectRelationships !== undefined) entry.object_relationships = objectRelationships;
      if (arrayRelationships !== undefined) entry.array_relationships = arrayRelationships;
      if (computedFields !== undefined) entry.computed_fields = computedFields;
    }
  }
  return removed;
}
