/**
 * cty values as plain JavaScript: string, number, boolean, null, arrays (list, set, tuple),
 * plain objects (map, object), plus three wrappers for what JavaScript lacks: {@link Unknown},
 * {@link LosslessNumber} and {@link DynamicVal}.
 */
import type { CtyType } from './type';

/** Refinements Terraform may attach to an unknown value (msgpack extension 12). */
export interface Refinements {
  /** false when the value is known not to be null. */
  nullable?: boolean;
  /** Known prefix of an unknown string. */
  stringPrefix?: string;
  /** Known lower bound of an unknown number: [bound, inclusive]. */
  numberLower?: [number, boolean];
  /** Known upper bound of an unknown number: [bound, inclusive]. */
  numberUpper?: [number, boolean];
  /** Known minimum length of an unknown collection. */
  lengthLower?: number;
  /** Known maximum length of an unknown collection. */
  lengthUpper?: number;
}

const UNKNOWN_BRAND = Symbol.for('ovirt-cdktf.tfplugin.Unknown');

/** A value not known until apply. Compare with {@link isUnknown}, never by identity. */
export class Unknown {
  readonly [UNKNOWN_BRAND] = true;
  constructor(readonly refinements?: Refinements) {}
  toJSON(): string {
    return '(known after apply)';
  }
}

/** The plain unknown value. */
export const UNKNOWN = new Unknown();

/** True when v is an object (or array): its properties can be read by name. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** True when v is an unknown value (refined or not). */
export function isUnknown(v: unknown): v is Unknown {
  return typeof v === 'object' && v !== null && UNKNOWN_BRAND in v && v[UNKNOWN_BRAND] === true;
}

/**
 * A number that a JavaScript double cannot hold exactly (big integers, long decimals). It keeps
 * the decimal text so the value goes back to Terraform unchanged; `valueOf()` gives the nearest
 * double for arithmetic.
 */
export class LosslessNumber {
  constructor(readonly text: string) {}
  valueOf(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

/** Turns decimal text into a JS number when that is exact, otherwise a {@link LosslessNumber}. */
export function numberFromText(text: string): number | LosslessNumber {
  const n = Number(text);
  if (Number.isFinite(n) && sameDecimal(String(n), text)) return n;
  return new LosslessNumber(text);
}

function sameDecimal(a: string, b: string): boolean {
  if (a === b) return true;
  const norm = (s: string) => {
    const n = Number(s);
    return Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER && /^-?\d+(\.0*)?$/.test(s) ? String(n) : s;
  };
  return norm(a) === norm(b);
}

/** A value of a `dynamic` attribute: the concrete type travels with it. */
export class DynamicVal {
  constructor(
    readonly type: CtyType,
    readonly value: unknown,
  ) {}
}

/** True when v or anything inside it is unknown. */
export function containsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (v instanceof DynamicVal) return containsUnknown(v.value);
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === 'object' && !(v instanceof LosslessNumber)) return Object.values(v).some(containsUnknown);
  return false;
}

/** Structural equality of two cty values (arrays, sets included, compared in order; unknowns equal each other). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isUnknown(a) || isUnknown(b)) return isUnknown(a) && isUnknown(b);
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a === 'number' || a instanceof LosslessNumber) {
    return (typeof b === 'number' || b instanceof LosslessNumber) && String(a) === String(b);
  }
  if (a instanceof DynamicVal || b instanceof DynamicVal) {
    const av = a instanceof DynamicVal ? a.value : a;
    const bv = b instanceof DynamicVal ? b.value : b;
    return valuesEqual(av, bv);
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => valuesEqual(a[k], b[k]));
  }
  return false;
}
