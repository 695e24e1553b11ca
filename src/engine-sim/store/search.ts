/**
 * The engine's search language, the part clients use: `field=value` clauses joined by AND, values
 * optionally quoted, `*` as a wildcard, case-insensitive by default; `sortby` and `page` are ignored.
 */
import { str } from './repr';
import { Entity } from './store';

interface Clause {
  field: string;
  negate: boolean;
  re: RegExp;
}

function globToRegExp(glob: string, caseSensitive: boolean): RegExp {
  const body = glob
    .split('*')
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, caseSensitive ? '' : 'i');
}

/** Parses a search expression; clauses it does not understand are ignored. */
export function parseSearch(q: string, caseSensitive = false): Clause[] {
  const text = q.replace(/\s+sortby\s+.*$/i, '').replace(/\s+page\s+\d+\s*$/i, '');
  const clauses: Clause[] = [];
  for (const part of text.split(/\s+and\s+/i)) {
    const m = /^\s*\(?\s*([a-z_.]+)\s*(!=|=)\s*(?:"([^"]*)"|(\S+?))\s*\)?\s*$/i.exec(part);
    if (!m) continue;
    clauses.push({ field: m[1].toLowerCase(), negate: m[2] === '!=', re: globToRegExp(m[3] ?? m[4], caseSensitive) });
  }
  return clauses;
}

/** The values a search field has on an object (several for tags). */
function fieldValues(e: Entity, field: string, tagNames: (e: Entity) => string[]): string[] {
  if (field === 'tag') return tagNames(e);
  if (field === 'correlation_id') return [String(e.meta.correlationId ?? '')];
  if (field === 'name' && e.kind === 'disks') return [str(e.data, 'alias') ?? '', str(e.data, 'name') ?? ''];
  return [str(e.data, field.replace(/_?\./g, '.')) ?? ''];
}

/** True when `e` satisfies every clause. */
export function matches(e: Entity, clauses: Clause[], tagNames: (e: Entity) => string[]): boolean {
  return clauses.every((c) => {
    const hit = fieldValues(e, c.field, tagNames).some((v) => c.re.test(v));
    return c.negate ? !hit : hit;
  });
}
