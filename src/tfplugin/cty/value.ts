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

/** True when `value` is an object (or array): its properties can be read by name. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** True when `value` is an unknown value (refined or not). */
export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && UNKNOWN_BRAND in value && value[UNKNOWN_BRAND] === true;
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
  const asNumber = Number(text);
  if (Number.isFinite(asNumber) && sameDecimal(String(asNumber), text)) return asNumber;
  return new LosslessNumber(text);
}

function sameDecimal(left: string, right: string): boolean {
  if (left === right) return true;
  const norm = (text: string) => {
    const parsed = Number(text);
    return Number.isInteger(parsed) && Math.abs(parsed) <= Number.MAX_SAFE_INTEGER && /^-?\d+(\.0*)?$/.test(text)
      ? String(parsed)
      : text;
  };
  return norm(left) === norm(right);
}

/** A value of a `dynamic` attribute: the concrete type travels with it. */
export class DynamicVal {
  constructor(
    readonly type: CtyType,
    readonly value: unknown,
  ) {}
}

/** True when `value` or anything inside it is unknown. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (value instanceof DynamicVal) return containsUnknown(value.value);
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === 'object' && !(value instanceof LosslessNumber))
    return Object.values(value).some(containsUnknown);
  return false;
}

/** Structural equality of two cty values (arrays, sets included, compared in order; unknowns equal each other). */
export function valuesEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (isUnknown(left) || isUnknown(right)) return isUnknown(left) && isUnknown(right);
  if (left === null || right === null || left === undefined || right === undefined) return false;
  if (typeof left === 'number' || left instanceof LosslessNumber) {
    return (typeof right === 'number' || right instanceof LosslessNumber) && String(left) === String(right);
  }
  if (left instanceof DynamicVal || right instanceof DynamicVal) {
    const av = left instanceof DynamicVal ? left.value : left;
    const bv = right instanceof DynamicVal ? right.value : right;
    return valuesEqual(av, bv);
  }
  if (Array.isArray(left)) {
    return Array.isArray(right) && left.length === right.length && left.every((x, i) => valuesEqual(x, right[i]));
  }
  if (isRecord(left) && isRecord(right)) {
    const ka = Object.keys(left);
    const kb = Object.keys(right);
    return ka.length === kb.length && ka.every((k) => valuesEqual(left[k], right[k]));
  }
  return false;
}
