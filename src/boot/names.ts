/**
 * Boot entry names, MACs and UUIDs: the checks the provider needs at plan time, kept apart from
 * the entry's zod model so that loading them costs a provider process nothing.
 */

/** Entry names are safe as file names and URL segments. */
export const ENTRY_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const MAC_PATTERN = /^[0-9a-f]{2}([-:]?)[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Canonical MAC form: lowercase, colon separated. Returns undefined when `text` is no MAC. */
export function normalizeMac(text: string): string | undefined {
  if (!MAC_PATTERN.test(text)) return undefined;
  const hex = text.replace(/[-:]/g, '').toLowerCase();
  return hex.match(/../g)!.join(':');
}

/** Canonical UUID form (lowercase). Returns undefined when `text` is no UUID. */
export function normalizeUuid(text: string): string | undefined {
  return UUID_PATTERN.test(text) ? text.toLowerCase() : undefined;
}
