/** Placeholder that `searchFilter` templates carry for the sign-in name. */
export const usernamePlaceholder = '{{username}}';

/**
 * Escapes a value for use inside an LDAP search filter as RFC 4515 section 3 requires: `*`,
 * `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`, `\5c` and `\00`. Everything else, UTF-8
 * included, is allowed as it is in an assertion value.
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (character) => {
    const hex = character.charCodeAt(0).toString(16).padStart(2, '0');
    return `\\${hex}`;
  });
}

/** Replaces every `{{username}}` of `template` with the escaped `username`. */
export function renderFilter(template: string, username: string): string {
  return template.replaceAll(usernamePlaceholder, escapeFilterValue(username));
}

/**
 * Returns why `template` cannot be a search filter template, or null when it can: it must
 * contain `{{username}}`, be enclosed in parentheses and balance them, ignoring escaped ones.
 */
export function filterTemplateProblem(template: string): string | null {
  if (!template.includes(usernamePlaceholder)) {
    return `must contain ${usernamePlaceholder}, for example (uid=${usernamePlaceholder})`;
  }
  const sample = renderFilter(template, 'sample');
  if (!sample.startsWith('(') || !sample.endsWith(')')) return 'must be enclosed in parentheses';
  let depth = 0;
  for (const [index, character] of [...sample].entries()) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (depth < 0 || (depth === 0 && index < sample.length - 1)) {
      return 'must be one filter with balanced parentheses';
    }
  }
  return depth === 0 ? null : 'must be one filter with balanced parentheses';
}
