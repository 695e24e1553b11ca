/**
 * The engine's search language: `?search=name="my vm"`. Values are double-quoted; a value the
 * language cannot quote (it has no escape for `"`; `*` is a wildcard even inside quotes) makes the
 * caller fall back to listing and filtering on the client.
 */

/** `name="x"` for a value the engine can match exactly, or undefined when it cannot. */
export function nameQuery(name: string): string | undefined {
  if (name === '' || /["*\\\r\n]/.test(name)) return undefined;
  return `name="${name}"`;
}

/** Joins clauses with AND, e.g. `and(nameQuery(n), 'status=up')`. */
export function and(...clauses: (string | undefined)[]): string {
  return clauses.filter((c): c is string => c !== undefined && c !== '').join(' and ');
}
