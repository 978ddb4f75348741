import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Columns of one table or view as the migrations leave it, and its single-column references. */
export interface RelationSchema {
  columns: Set<string>;
  /** Column to the qualified table its inline REFERENCES clause points at. */
  references: Map<string, string>;
}

/** Qualified name (`public.users`) to its schema, after every migration in order. */
export type DatabaseSchema = Map<string, RelationSchema>;

const constraintWords = new Set(['constraint', 'primary', 'unique', 'foreign', 'check', 'exclude']);

/** Removes comments, string literals and dollar-quoted bodies, which could hide parentheses. */
function stripNoise(sql: string): string {
  return sql
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, "''")
    .replace(/--[^\n]*/g, '')
    .replace(/'(?:[^']|'')*'/g, "''");
}

/** Splits `text` at commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of text) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += character;
    }
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** Returns the text between the parenthesis at `open` and its match. */
function parenthesised(text: string, open: number): string {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    if (text[index] === '(') depth += 1;
    if (text[index] === ')') depth -= 1;
    if (depth === 0) return text.slice(open + 1, index);
  }
  return text.slice(open + 1);
}

function qualify(name: string): string {
  const clean = name.replaceAll('"', '').toLowerCase();
  return clean.includes('.') ? clean : `public.${clean}`;
}

function readTable(body: string): RelationSchema {
  const schema: RelationSchema = { columns: new Set(), references: new Map() };
  for (const item of splitTopLevel(body)) {
    const [first = ''] = item.split(/\s+/);
    if (constraintWords.has(first.toLowerCase())) continue;
    const column = first.replaceAll('"', '').toLowerCase();
    schema.columns.add(column);
    const reference = /\breferences\s+([\w."]+)/i.exec(item);
    if (reference?.[1] !== undefined) schema.references.set(column, qualify(reference[1]));
  }
  return schema;
}

function readView(selectList: string): RelationSchema {
  const columns = new Set<string>();
  for (const item of splitTopLevel(selectList)) {
    const alias = /\bas\s+("?[\w]+"?)\s*$/i.exec(item);
    const name = alias?.[1] ?? item.split('.').at(-1) ?? item;
    columns.add(name.replaceAll('"', '').trim().toLowerCase());
  }
  return { columns, references: new Map() };
}

function applyAlter(schema: RelationSchema | undefined, actions: string): void {
  if (schema === undefined) return;
  for (const action of splitTopLevel(actions)) {
    const add = /^add\s+column\s+(?:if\s+not\s+exists\s+)?("?\w+"?)/i.exec(action);
    if (add?.[1] !== undefined) {
      const column = add[1].replaceAll('"', '').toLowerCase();
      schema.columns.add(column);
      const reference = /\breferences\s+([\w."]+)/i.exec(action);
      if (reference?.[1] !== undefined) schema.references.set(column, qualify(reference[1]));
    }
    const drop = /^drop\s+column\s+(?:if\s+exists\s+)?("?\w+"?)/i.exec(action);
    if (drop?.[1] !== undefined) schema.columns.delete(drop[1].replaceAll('"', '').toLowerCase());
    const rename = /^rename\s+column\s+("?\w+"?)\s+to\s+("?\w+"?)/i.exec(action);
    if (rename?.[1] !== undefined && rename[2] !== undefined) {
      schema.columns.delete(rename[1].replaceAll('"', '').toLowerCase());
      schema.columns.add(rename[2].replaceAll('"', '').toLowerCase());
    }
  }
}

const statementPatterns = {
  createTable: /^create\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?([\w."]+)\s*\(/i,
  createView: /^create\s+(?:or\s+replace\s+)?view\s+([\w."]+)\s+as\s+select\s+([\s\S]+?)\s+from\s/i,
  alterTable: /^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?([\w."]+)\s+([\s\S]+)$/i,
  drop: /^drop\s+(?:table|view)\s+(?:if\s+exists\s+)?([\w.",\s]+?)(?:\s+cascade|\s+restrict)?$/i,
};

/**
 * Replays the CREATE TABLE, CREATE VIEW, ALTER TABLE and DROP statements of `sqlTexts`, in
 * order, and returns the columns of every table and view. Only these statement forms are
 * read; a column added another way (for example inside a DO block) is not seen.
 */
export function readSchema(sqlTexts: readonly string[]): DatabaseSchema {
  const schema: DatabaseSchema = new Map();
  for (const text of sqlTexts) {
    for (const raw of stripNoise(text).split(';')) {
      const statement = raw.trim();
      const table = statementPatterns.createTable.exec(statement);
      if (table?.[1] !== undefined) {
        const open = statement.indexOf('(');
        schema.set(qualify(table[1]), readTable(parenthesised(statement, open)));
        continue;
      }
      const view = statementPatterns.createView.exec(statement);
      if (view?.[1] !== undefined && view[2] !== undefined) {
        schema.set(qualify(view[1]), readView(view[2]));
        continue;
      }
      const alter = statementPatterns.alterTable.exec(statement);
      if (alter?.[1] !== undefined && alter[2] !== undefined) {
        applyAlter(schema.get(qualify(alter[1])), alter[2]);
        continue;
      }
      const drop = statementPatterns.drop.exec(statement);
      if (drop?.[1] !== undefined) {
        for (const name of drop[1].split(',')) schema.delete(qualify(name.trim()));
      }
    }
  }
  return schema;
}

/** Reads every `up.sql` under a Hasura migrations folder in version order. */
export async function readMigrationSchema(folder: string): Promise<DatabaseSchema> {
  const entries = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && /^\d+_/.test(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => {
      const [versionA = '', versionB = ''] = [a.split('_')[0], b.split('_')[0]];
      return versionA.length - versionB.length || versionA.localeCompare(versionB);
    });
  const texts = await Promise.all(
    entries.map((name) => readFile(join(folder, name, 'up.sql'), 'utf8').catch(() => '')),
  );
  return readSchema(texts);
}
