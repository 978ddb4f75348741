import { validationError } from './context.js';
import { type Sql, sql } from './sql.js';

/** Splits a JSON path such as `$.a.b[0]`, `a.b` or `$["x y"]` into its keys and indexes. */
export function parseJsonPath(text: string, path: string): string[] {
  const keys: string[] = [];
  let rest = text.startsWith('$') ? text.slice(1) : text;
  if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) rest = `.${rest}`;
  const pattern =
    /^(?:\.([^.[\]]+)|\.?\[(\d+)\]|\.?\["((?:[^"\\]|\\.)*)"\]|\.?\['((?:[^'\\]|\\.)*)'\])/;
  while (rest !== '') {
    const match = pattern.exec(rest);
    if (match === null)
      throw validationError(path, `parse json path error: invalid path "${text}"`);
    keys.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
    rest = rest.slice(match[0].length);
  }
  return keys;
}

/** Selects part of a json or jsonb column; a missing part gives null. */
export function compileJsonPath(column: Sql, text: string, path: string): Sql {
  const keys = parseJsonPath(text, path);
  return sql`(${column} #> ${{ kind: 'value', value: keys }}::text[])`;
}
