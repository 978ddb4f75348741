/** The caller of one request: a role and the `x-hasura-*` session variables. */
export interface Session {
  role: string;
  /** Session variables with lower-case names, including `x-hasura-role`. */
  variables: Record<string, string>;
  /** When the JWT behind the session expires, in ms since the epoch; undefined without one. */
  expiresAt?: number | undefined;
}

/** Returns session variables from headers or claims, with lower-case names. */
export function sessionVariablesFrom(source: Record<string, unknown>): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith('x-hasura-')) continue;
    if (typeof value === 'string') variables[lower] = value;
    else if (Array.isArray(value)) variables[lower] = toPostgresArray(value);
    else if (value !== null && value !== undefined) variables[lower] = String(value);
  }
  return variables;
}

/** Formats a list claim as a Postgres array literal, as Hasura passes list session variables. */
function toPostgresArray(values: unknown[]): string {
  const items = values.map((value) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}
