/** Returns the text of form field `name`, or an empty string when it is missing or a file. */
export function fieldValue(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
