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
    const dynamicValue = form.dynamic(raw);
    return new DynamicVal(dynamicValue.type, fromWire(dynamicValue.value, dynamicValue.type, form));
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
export function inferType(value: unknown): CtyType {
  if (value instanceof DynamicVal) return value.type;
  if (typeof value === 'string' || value === null || value === undefined || isUnknown(value))
    return value === null || value === undefined || isUnknown(value) ? 'dynamic' : 'string';
  if (typeof value === 'number' || value instanceof LosslessNumber) return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(inferType)];
  const attrs: Record<string, CtyType> = {};
  for (const [k, e] of Object.entries(isRecord(value) ? value : {})) attrs[k] = inferType(e);
  return ['object', attrs];
}

type Attributes = { readonly [name: string]: CtyType };

/** The attributes of each object type in name order: the wire order, sorted once per type, not per value. */
const sortedAttributes = new WeakMap<Attributes, (readonly [string, CtyType])[]>();

function inNameOrder(attributes: Attributes): (readonly [string, CtyType])[] {
  let sorted = sortedAttributes.get(attributes);
  if (!sorted) {
    sorted = Object.entries(attributes).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    sortedAttributes.set(attributes, sorted);
  }
  return sorted;
}

/** Visits a cty value of type `ty` and rebuilds it with `leaf` applied to each non-null scalar,
 *  unknown, and dynamic value (the encoders' shared walk). Objects always get every attribute. */
export function toWire(value: unknown, ty: CtyType, leaf: (v: unknown, ty: CtyType) => unknown): unknown {
  if (value === null || value === undefined) return null;
  if (isUnknown(value) || typeof ty === 'string') return leaf(value, ty);
  const [kind, arg] = ty;
  if (kind === 'list' || kind === 'set' || kind === 'tuple') {
    if (!Array.isArray(value)) throw conversionError(ty, value);
    return kind === 'tuple' ? arg.map((et, i) => toWire(value[i], et, leaf)) : value.map((e) => toWire(e, arg, leaf));
  }
  if (!isRecord(value)) throw conversionError(ty, value);
  const src = value;
  const out: Record<string, unknown> = {};
  if (kind === 'map') {
    for (const k of Object.keys(src).sort()) out[k] = toWire(src[k], arg, leaf);
  } else {
    for (const [k, attributeType] of inNameOrder(arg)) out[k] = toWire(src[k], attributeType, leaf);
  }
  return out;
}

/** Reads a refinement map (msgpack extension 12 payload, integer keys). */
export function readRefinements(payload: Record<string, unknown>): Refinements {
  const get = (k: number) => payload[String(k)];
  const refinements: Refinements = {};
  const nullable = get(1);
  const stringPrefix = get(2);
  if (typeof nullable === 'boolean') refinements.nullable = nullable;
  if (typeof stringPrefix === 'string') refinements.stringPrefix = stringPrefix;
  if (Array.isArray(get(3))) refinements.numberLower = get(3) as [number, boolean];
  if (Array.isArray(get(4))) refinements.numberUpper = get(4) as [number, boolean];
  if (get(5) !== undefined) refinements.lengthLower = Number(get(5));
  if (get(6) !== undefined) refinements.lengthUpper = Number(get(6));
  return refinements;
}

export { UNKNOWN, parseType };
