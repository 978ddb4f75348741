import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mentionsExists(value: Json): boolean {
  return JSON.stringify(value).includes('"_exists"');
}

/**
 * Removes the `_exists` clauses from a rule: the live-session check on active_sessions and the
 * grant check on user_permissions. An `_or` with a grant branch goes as a whole, because
 * without the grant check its other branches would narrow the rule instead of widening it.
 */
function withoutClauses(expression: Json): Json {
  if (!isRecord(expression)) return expression;
  const conjuncts = Array.isArray(expression._and) ? expression._and : [expression];
  const kept = conjuncts.filter((item) => !mentionsExists(item));
  return kept.length === 1 ? kept[0] : { _and: kept };
}

function stripPermissions(table: Record<string, Json>): void {
  for (const key of ['select', 'insert', 'update', 'delete']) {
    const permissions = table[`${key}_permissions`];
    if (!Array.isArray(permissions)) continue;
    for (const item of permissions) {
      const permission = isRecord(item) && isRecord(item.permission) ? item.permission : null;
      if (permission === null) continue;
      if ('filter' in permission) permission.filter = withoutClauses(permission.filter);
      if ('check' in permission) permission.check = withoutClauses(permission.check);
    }
  }
}

/**
 * Copies a metadata folder to `target` with the session-revocation and role-grant clauses
 * removed from every permission rule, keeping only the tenant and row conditions.
 */
export async function writeStrippedMetadata(source: string, target: string): Promise<void> {
  await cp(source, target, { recursive: true });
  const tablesDir = join(target, 'databases/default/tables');
  for (const name of await readdir(tablesDir)) {
    if (!name.startsWith('public_') || !name.endsWith('.yaml')) continue;
    const file = join(tablesDir, name);
    const table = parse(await readFile(file, 'utf8')) as Record<string, Json>;
    stripPermissions(table);
    await writeFile(file, stringify(table));
  }
}
