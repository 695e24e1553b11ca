/**
 * Diagnostics: how the SDK and handlers report problems to Terraform. Handlers never throw on
 * expected failures; they add an error and return.
 */

/** One step of an attribute path: an attribute name, a map key, or a list index. */
export type PathStep = { attribute: string } | { key: string } | { index: number };

/** A path to a value inside a resource, e.g. `nic[0].name`. */
export type AttributePath = readonly PathStep[];

/** Builds a path from names (strings) and list indexes (numbers): `path('nic', 0, 'name')`. */
export function path(...parts: (string | number)[]): AttributePath {
  return parts.map((p) => (typeof p === 'number' ? { index: p } : { attribute: p }));
}

/** Renders a path the way Terraform shows it: `nic[0].name`, `tags["env"]`. */
export function formatPath(attributePath: AttributePath): string {
  return attributePath
    .map((s, i) =>
      'attribute' in s ? (i ? '.' : '') + s.attribute : 'key' in s ? `[${JSON.stringify(s.key)}]` : `[${s.index}]`,
    )
    .join('');
}

/** A diagnostic as sent to Terraform. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Short Title-Case summary. */
  summary: string;
  /** Full sentences: what was expected, what was received, what to do. */
  detail: string;
  /** The attribute the problem is about, so Terraform points at the config line. */
  path?: AttributePath;
}

/** A collector of diagnostics handed to every handler. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  /** Adds an error. */
  error(summary: string, detail = '', attributePath?: AttributePath): void {
    this.items.push({ severity: 'error', summary, detail, ...(attributePath ? { path: attributePath } : {}) });
  }

  /** Adds a warning. */
  warning(summary: string, detail = '', attributePath?: AttributePath): void {
    this.items.push({ severity: 'warning', summary, detail, ...(attributePath ? { path: attributePath } : {}) });
  }

  /** True when at least one error was added. */
  hasError(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  /** Adds all diagnostics of another collector. */
  append(other: Diagnostics): void {
    this.items.push(...other.items);
  }
}
