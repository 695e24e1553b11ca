/**
 * Conversion between decoded wire trees (from msgpack or lossless JSON) and typed cty values.
 * Decoding always needs the schema type: the wire encodings do not carry it.
 */
import { parseType, type CtyType } from './type';
import {
  DynamicVal,
  LosslessNumber,
  UNKNOWN,
  Unknown,
  isRecord,
  isUnknown,
  numberFromText,
  type Refinements,
} from './value';

/** How a wire tree represents values that JavaScript cannot: set by the decoder. */
export interface WireForm {
  /** Returns the unknown value for a wire item, or undefined when the item is not unknown. */
  unknown(raw: unknown): Unknown | undefined;
  /** Splits a dynamic value into its type and raw value. */
  dynamic(raw: unknown): { type: CtyType; value: unknown };
}

function conversionError(ty: CtyType, raw: unknown): TypeError {
  return new TypeError(
    `cannot read ${typeof raw === 'object' ? 'structure' : JSON.stringify(raw)} as ${JSON.stringify(ty)}`,
  );
}

function toNumber(raw: unknown, ty: CtyType): number | LosslessNumber {
  if (typeof raw === 'number' || raw instanceof LosslessNumber) return raw;
  if (typeof raw === 'bigint')
    return Number.isSafeInteger(Number(raw)) ? Number(raw) : new LosslessNumber(raw.toString());
  if (typeof raw === 'string') return numberFromText(raw);
  throw conversionError(ty, raw);
}

/** Converts a decoded wire tree to a cty value of type `ty`. Object attributes missing from the
 *  tree become null (that is how new attributes appear in old state); extra keys are dropped. */
export function fromWire(raw: unknown, ty: CtyType, form: WireForm): unknown {
  const unk = form.unknown(raw);
  if (unk) return unk;
  if (raw === null || raw === undefined) return null;
  if (ty === 'dynamic') {
    const d = form.dynamic(raw);
    return new DynamicVal(d.type, fromWire(d.value, d.type, form));
  }
  if (ty === 'string') {
    if (typeof raw !== 'string') throw conversionError(ty, raw);
    return raw;
  }
  if (ty === 'number') return toNumber(raw, ty);
  if (ty === 'bool') {
    if (typeof raw !== 'boolean') throw conversionError(ty, raw);
    return raw;
  }
  const [kind, arg] = ty;
  if (kind === 'list' || kind === 'set') {
    if (!Array.isArray(raw)) throw conversionError(ty, raw);
    return raw.map((e) => fromWire(e, arg, form));
  }
  if (kind === 'tuple') {
    if (!Array.isArray(raw)) throw conversionError(ty, raw);
    return arg.map((et, i) => fromWire(raw[i], et, form));
  }
  if (!isRecord(raw) || Array.isArray(raw)) throw conversionError(ty, raw);
  const src = raw;
  const out: Record<string, unknown> = {};
  if (kind === 'map') {
    for (const [k, v] of Object.entries(src)) out[k] = fromWire(v, arg, form);
  } else {
    for (const [k, at] of Object.entries(arg)) out[k] = fromWire(src[k], at, form);
  }
  return out;
}

/** Infers the cty type of a plain JS value (used for dynamic attributes set by handlers). */
export function inferType(v: unknown): CtyType {
  if (v instanceof DynamicVal) return v.type;
  if (typeof v === 'string' || v === null || v === undefined || isUnknown(v))
    return v === null || v === undefined || isUnknown(v) ? 'dynamic' : 'string';
  if (typeof v === 'number' || v instanceof LosslessNumber) return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return ['tuple', v.map(inferType)];
  const attrs: Record<string, CtyType> = {};
  for (const [k, e] of Object.entries(isRecord(v) ? v : {})) attrs[k] = inferType(e);
  return ['object', attrs];
}

/** Visits a cty value of type `ty` and rebuilds it with `leaf` applied to each non-null scalar,
 *  unknown, and dynamic value (the encoders' shared walk). Objects always get every attribute. */
export function toWire(v: unknown, ty: CtyType, leaf: (v: unknown, ty: CtyType) => unknown): unknown {
  if (v === null || v === undefined) return null;
  if (isUnknown(v) || typeof ty === 'string') return leaf(v, ty);
  const [kind, arg] = ty;
  if (kind === 'list' || kind === 'set' || kind === 'tuple') {
    if (!Array.isArray(v)) throw conversionError(ty, v);
    return kind === 'tuple' ? arg.map((et, i) => toWire(v[i], et, leaf)) : v.map((e) => toWire(e, arg, leaf));
  }
  if (!isRecord(v)) throw conversionError(ty, v);
  const src = v;
  const out: Record<string, unknown> = {};
  if (kind === 'map') {
    for (const k of Object.keys(src).sort()) out[k] = toWire(src[k], arg, leaf);
  } else {
    const attributes = Object.entries(arg).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    for (const [k, attributeType] of attributes) out[k] = toWire(src[k], attributeType, leaf);
  }
  return out;
}

/** Reads a refinement map (msgpack extension 12 payload, integer keys). */
export function readRefinements(m: Record<string, unknown>): Refinements {
  const get = (k: number) => m[String(k)];
  const r: Refinements = {};
  const nullable = get(1);
  const stringPrefix = get(2);
  if (typeof nullable === 'boolean') r.nullable = nullable;
  if (typeof stringPrefix === 'string') r.stringPrefix = stringPrefix;
  if (Array.isArray(get(3))) r.numberLower = get(3) as [number, boolean];
  if (Array.isArray(get(4))) r.numberUpper = get(4) as [number, boolean];
  if (get(5) !== undefined) r.lengthLower = Number(get(5));
  if (get(6) !== undefined) r.lengthUpper = Number(get(6));
  return r;
}

export { UNKNOWN, parseType };
