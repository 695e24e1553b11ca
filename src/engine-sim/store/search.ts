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
export function parseSearch(query: string, caseSensitive = false): Clause[] {
  const text = query.replace(/\s+sortby\s+.*$/i, '').replace(/\s+page\s+\d+\s*$/i, '');
  const clauses: Clause[] = [];
  for (const part of text.split(/\s+and\s+/i)) {
    const match = /^\s*\(?\s*([a-z_.]+)\s*(!=|=)\s*(?:"([^"]*)"|(\S+?))\s*\)?\s*$/i.exec(part);
    if (!match) continue;
    clauses.push({
      field: match[1]!.toLowerCase(),
      negate: match[2] === '!=',
      re: globToRegExp(match[3] ?? match[4] ?? '', caseSensitive),
    });
  }
  return clauses;
}

/** The values a search field has on an object (several for tags). */
function fieldValues(entity: Entity, field: string, tagNames: (e: Entity) => string[]): string[] {
  if (field === 'tag') return tagNames(entity);
  if (field === 'correlation_id') return [String(entity.meta.correlationId ?? '')];
  if (field === 'name' && entity.kind === 'disks')
    return [str(entity.data, 'alias') ?? '', str(entity.data, 'name') ?? ''];
  return [str(entity.data, field.replace(/_?\./g, '.')) ?? ''];
}

/** True when `e` satisfies every clause. */
export function matches(entity: Entity, clauses: Clause[], tagNames: (e: Entity) => string[]): boolean {
  return clauses.every((clause) => {
    const hit = fieldValues(entity, clause.field, tagNames).some((v) => clause.re.test(v));
    return clause.negate ? !hit : hit;
  });
}
