/**
 * An Ignition config validator that applies ignition-validate's (Ignition 2.14) rules for spec
 * 3.0-3.3: version, JSON types, paths, duplicates, URLs and data URLs, hashes, modes, links, units.
 * Disk geometry and LUKS/clevis combinations are not re-implemented (see the agreement test for
 * what is compared with the real binary).
 */
import { CONFIG_SHAPE, type Field, type ObjShape, type Shape } from './schema';
import type { RuleContext } from './rule-context';
import { checkConfigRules, LOCAL_RULES } from './rules';

/** One finding, located by a JSON path like `$.storage.files.0.path`. */
export interface IgnitionIssue {
  path: string;
  message: string;
}

/** The verdict: valid when there are no errors (warnings do not count, as with the real tool). */
export interface IgnitionReport {
  valid: boolean;
  /** Spec minor version (3.x) when the version could be read. */
  minor?: number;
  errors: IgnitionIssue[];
  warnings: IgnitionIssue[];
}

/** Spec versions Ignition 2.14 accepts, mapped to the rule set (minor) that checks them. */
const SUPPORTED: Record<string, number> = {
  '3.0.0': 0,
  '3.1.0': 1,
  '3.2.0': 2,
  '3.3.0': 3,
  '3.4.0-experimental': 3,
};
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Validates an Ignition config given as JSON text (or an already-parsed value). */
export function validateIgnition(input: string | unknown): IgnitionReport {
  const report: IgnitionReport = { valid: false, errors: [], warnings: [] };
  let doc: unknown = input;
  if (typeof input === 'string') {
    if (input.trim() === '') return fail(report, '$', 'not a config (empty)');
    try {
      doc = JSON.parse(input);
    } catch (e) {
      return fail(report, '$', `invalid JSON: ${(e as Error).message}`);
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return fail(report, '$', doc === null ? "invalid config version (couldn't parse)" : 'config must be a JSON object');
  }
  const ign = (doc as Record<string, unknown>)['ignition'];
  const version =
    ign && typeof ign === 'object' && !Array.isArray(ign) ? (ign as Record<string, unknown>)['version'] : undefined;
  if (version !== undefined && version !== null && typeof version !== 'string') {
    return fail(report, '$.ignition.version', 'version must be a string');
  }
  if (typeof version !== 'string' || !SEMVER.test(version)) {
    return fail(report, '$.ignition.version', "invalid config version (couldn't parse)");
  }
  const minor = SUPPORTED[version];
  if (minor === undefined) return fail(report, '$.ignition.version', `unsupported config version ${version}`);
  report.minor = minor;
  const ctx: RuleContext = {
    minor,
    error: (path, message) => report.errors.push({ path, message }),
    warn: (path, message) => report.warnings.push({ path, message }),
  };
  if (walk(doc, CONFIG_SHAPE, '$', ctx)) checkConfigRules(doc as Record<string, unknown>, ctx);
  report.valid = report.errors.length === 0;
  return report;
}

function fail(report: IgnitionReport, path: string, message: string): IgnitionReport {
  report.errors.push({ path, message });
  return report;
}

/** Checks JSON types against the shape; false when a type error stops further checks. */
function walk(value: unknown, shape: Shape, path: string, ctx: RuleContext): boolean {
  if (value === null || value === undefined) return true;
  if (shape === 'string' || shape === 'bool' || shape === 'int') {
    const ok =
      shape === 'string'
        ? typeof value === 'string'
        : shape === 'bool'
          ? typeof value === 'boolean'
          : typeof value === 'number' && Number.isInteger(value);
    if (!ok) ctx.error(path, `cannot decode ${JSON.stringify(value)} as ${shape}`);
    return ok;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) {
      ctx.error(path, 'expected a list');
      return false;
    }
    return value.every((v, i) => walk(v, shape.list, `${path}.${i}`, ctx));
  }
  return walkObject(value, shape, path, ctx);
}

function walkObject(value: unknown, shape: ObjShape, path: string, ctx: RuleContext): boolean {
  if (typeof value !== 'object' || Array.isArray(value)) {
    ctx.error(path, 'expected an object');
    return false;
  }
  let ok = true;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field: Field | undefined = shape.fields[key];
    const known = field !== undefined && (typeof field !== 'object' || !('since' in field) || field.since <= ctx.minor);
    if (!known) {
      ctx.warn(`${path}.${key}`, `Unused key ${key}`);
      continue;
    }
    const sub = typeof field === 'object' && 'since' in field ? field.shape : field;
    ok = walk(v, sub, `${path}.${key}`, ctx) && ok;
  }
  if (ok && shape.kind) LOCAL_RULES[shape.kind]?.(value as Record<string, unknown>, path, ctx);
  return ok;
}
