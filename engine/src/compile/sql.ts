/**
 * Where a query parameter's value comes from when the compiled statement runs. Compiled
 * statements are cached per role and document, so request data stays out of the SQL text.
 */
export type ParamSource =
  | {
      kind: 'value';
      value: unknown;
      /** Type the value is cast to, so equal values cast to different types stay apart. */
      castTo?: string;
    }
  | { kind: 'session'; name: string; array: boolean }
  | { kind: 'variable'; name: string; encoding: 'scalar' | 'json' | 'array' };

const fragment = Symbol('sql fragment');

/** A piece of SQL text with its parameters kept apart. Build it with `sql`, never by hand. */
export interface Sql {
  readonly [fragment]: true;
  readonly strings: readonly string[];
  readonly parts: readonly (Sql | ParamSource)[];
}

/** Anything that `sql` accepts between `${}`: a fragment, a parameter or a plain value. */
export type SqlValue = Sql | ParamSource | string | number | boolean | null | bigint;

function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && fragment in value;
}

function isParam(value: unknown): value is ParamSource {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

function make(strings: readonly string[], parts: readonly (Sql | ParamSource)[]): Sql {
  return { [fragment]: true, strings, parts };
}

/**
 * Tagged template for SQL. Fragments are spliced in, every other value becomes a `$n`
 * parameter, so values can never change the statement's structure.
 */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Sql {
  const parts = values.map((value): Sql | ParamSource => {
    if (isSql(value)) return value;
    if (isParam(value)) return value;
    return { kind: 'value', value };
  });
  return make([...strings], parts);
}

/** Quotes an identifier, doubling embedded quotes. */
export function ident(...names: string[]): Sql {
  const text = names.map((name) => `"${name.replaceAll('"', '""')}"`).join('.');
  return make([text], []);
}

/**
 * Trusted SQL text: keywords, operators and type names read from the Postgres catalog. Never
 * pass request data here.
 */
export function raw(text: string): Sql {
  return make([text], []);
}

/** Quotes a string literal; only for text the engine itself chose, such as JSON keys. */
export function literal(text: string): Sql {
  return make([`'${text.replaceAll("'", "''")}'`], []);
}

export function join(items: readonly Sql[], separator: string): Sql {
  if (items.length === 0) return make([''], []);
  const strings = ['', ...items.slice(1).map(() => separator), ''];
  return make(strings, items);
}

export const empty: Sql = make([''], []);

/** Renders a fragment to text with `$1..$n` placeholders and the list of their sources. */
export function render(root: Sql): { text: string; params: ParamSource[] } {
  const params: ParamSource[] = [];
  const constants = new Map<unknown, number>();
  let text = '';
  const walk = (node: Sql): void => {
    node.strings.forEach((chunk, index) => {
      text += chunk;
      const part = node.parts[index];
      if (part === undefined) return;
      if (isSql(part)) {
        walk(part);
        return;
      }
      text += `$${placeholder(part)}`;
    });
  };
  const placeholder = (part: ParamSource): number => {
    // Equal session variables and equal constants share one placeholder.
    const key =
      part.kind === 'value' && typeof part.value !== 'object'
        ? `v:${typeof part.value}:${String(part.value)}:${part.castTo ?? ''}`
        : part.kind === 'session'
          ? `s:${part.name}:${part.array}`
          : undefined;
    if (key !== undefined) {
      const known = constants.get(key);
      if (known !== undefined) return known;
    }
    params.push(part);
    if (key !== undefined) constants.set(key, params.length);
    return params.length;
  };
  walk(root);
  return { text, params };
}
