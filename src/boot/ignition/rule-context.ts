/**
 * What every Ignition rule reports to. Its own module, so that the rule files (rules.ts and
 * rules-resource.ts, which rules.ts calls) and the validator can share it without importing each other.
 */

/** Where rules report to, and which spec minor version (3.x) they check against. */
export interface RuleContext {
  minor: number;
  error(path: string, message: string): void;
  warn(path: string, message: string): void;
}
