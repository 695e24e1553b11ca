/**
 * The msgpack codec of cty values (DynamicValue.msgpack): any extension is unknown (code 12
 * carries refinements), numbers stay lossless, dynamic values are [bin(type JSON), value].
 */
import { Decoder, Encoder, ExtData, ExtensionCodec } from '@msgpack/msgpack';
import { fromWire, inferType, parseType, readRefinements, toWire, type WireForm } from './convert';
import { typeJson, type CtyType } from './type';
import { DynamicVal, LosslessNumber, UNKNOWN, Unknown, isUnknown, numberFromText } from './value';

const REFINED = 12;
const extensions = new ExtensionCodec();
const decoder = new Decoder({ extensionCodec: extensions, useBigInt64: true, mapKeyConverter: (k) => k as string });
const encoder = new Encoder({ extensionCodec: extensions, sortKeys: false, ignoreUndefined: false });
const refinementDecoder = new Decoder();

const form: WireForm = {
  unknown(raw) {
    if (raw instanceof ExtData) {
      if (raw.type === REFINED && raw.data.length > 0) {
        try {
          const decoded = refinementDecoder.decode(raw.data as Uint8Array);
          return decoded && typeof decoded === 'object'
            ? new Unknown(readRefinements(decoded as Record<string, unknown>))
            : UNKNOWN;
        } catch {
          return UNKNOWN;
        }
      }
      return UNKNOWN;
    }
    return raw instanceof Date ? UNKNOWN : undefined; // the timestamp extension, still an extension
  },
  dynamic(raw) {
    if (!Array.isArray(raw) || raw.length !== 2 || !(raw[0] instanceof Uint8Array)) {
      throw new TypeError('a dynamic value must be [type JSON, value]');
    }
    return { type: parseType(Buffer.from(raw[0]).toString('utf8')), value: raw[1] };
  },
};

/** {@link decodeMsgpack} through a generic msgpack tree: the reference the typed reader must agree with. */
export function decodeMsgpackTree(bytes: Uint8Array | undefined, ty: CtyType): unknown {
  if (!bytes || bytes.length === 0) return null;
  return fromWire(decoder.decode(bytes), ty, form);
}

/** Decodes DynamicValue.msgpack bytes as a value of type `ty`. Empty bytes mean null. */
export function decodeMsgpack(bytes: Uint8Array | undefined, ty: CtyType): unknown {
  if (!bytes || bytes.length === 0) return null;
  try {
    const reader = new TypedReader(bytes);
    const value = reader.value(ty);
    if (reader.done()) return value;
  } catch {
    /* the tree path below gives the value or the error it always gave */
  }
  return decodeMsgpackTree(bytes, ty);
}

type Attributes = { readonly [name: string]: CtyType };

/** An object type's attribute names in declaration order (the order of a decoded object's keys) and
 *  in name order with their UTF-8 bytes (the order Terraform writes them in). */
interface ObjectLayout {
  names: string[];
  sorted: { name: string; bytes: Uint8Array }[];
}

const layouts = new WeakMap<Attributes, ObjectLayout>();

function objectLayout(attributes: Attributes): ObjectLayout {
  let layout = layouts.get(attributes);
  if (!layout) {
    const names = Object.keys(attributes);
    const sorted = [...names].sort().map((name) => ({ name, bytes: Buffer.from(name, 'utf8') }));
    layout = { names, sorted };
    layouts.set(attributes, layout);
  }
  return layout;
}

/** Strict UTF-8: text the generic decoder would read differently goes to the tree path. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A byte the typed reader leaves to the tree path (an unusual form, a mismatch, a truncation). */
class NotTyped extends Error {}

/**
 * Reads msgpack straight into a cty value of a known type, with no generic tree in between (every
 * RPC decodes two or three values of the resource's whole type: bench/provider-scale). What it does
 * not read the common way it throws on, and {@link decodeMsgpack} then takes the tree path.
 */
class TypedReader {
  private pos = 0;
  /** Made for floats and 64-bit integers only: a view costs more than the byte reads of the rest. */
  private wideView?: DataView;

  constructor(private readonly bytes: Uint8Array) {}

  private get view(): DataView {
    this.wideView ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    return this.wideView;
  }

  done(): boolean {
    return this.pos === this.bytes.length;
  }

  value(ty: CtyType): unknown {
    const head = this.byte();
    if (head === 0xc0) return null;
    if ((head >= 0xd4 && head <= 0xd8) || (head >= 0xc7 && head <= 0xc9)) return this.extension(head);
    if (ty === 'dynamic') return this.tree(ty);
    if (ty === 'string') return this.text(head);
    if (ty === 'number') return this.number(head);
    if (ty === 'bool') {
      if (head === 0xc2 || head === 0xc3) return head === 0xc3;
      throw new NotTyped();
    }
    const [kind, arg] = ty;
    if (kind === 'list' || kind === 'set') {
      const length = this.arrayLength(head);
      const out: unknown[] = new Array(length);
      for (let index = 0; index < length; index++) out[index] = this.value(arg);
      return out;
    }
    if (kind === 'tuple') {
      const length = this.arrayLength(head);
      const out = arg.map((elementType, index) => (index < length ? this.value(elementType) : null));
      for (let index = arg.length; index < length; index++) this.skip();
      return out;
    }
    const length = this.mapLength(head);
    const out: Record<string, unknown> = {};
    if (kind === 'map') {
      for (let index = 0; index < length; index++) out[this.key()] = this.value(arg);
      return out;
    }
    const attributes = objectLayout(arg);
    for (const name of attributes.names) out[name] = null;
    for (let index = 0; index < length; index++) {
      const name = this.expectedKey(attributes.sorted[index]) ?? this.key();
      const attributeType = Object.hasOwn(arg, name) ? arg[name] : undefined;
      if (attributeType === undefined) this.skip();
      else out[name] = this.value(attributeType);
    }
    return out;
  }

  /** The next byte, consumed. */
  private byte(): number {
    const head = this.bytes[this.pos++];
    if (head === undefined) throw new NotTyped();
    return head;
  }

  /** The offset of the next `length` bytes, consumed. */
  private take(length: number): number {
    const at = this.pos;
    if (at + length > this.bytes.length) throw new NotTyped();
    this.pos += length;
    return at;
  }

  /** An unsigned big-endian integer of 1, 2 or 4 bytes. */
  private size(width: 1 | 2 | 4): number {
    const at = this.take(width);
    const bytes = this.bytes;
    if (width === 1) return bytes[at]!;
    if (width === 2) return (bytes[at]! << 8) | bytes[at + 1]!;
    return bytes[at]! * 0x1000000 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
  }

  /** The name of the attribute Terraform writes at this position (cty sorts them) when the key is
   *  exactly its bytes, consumed; else undefined and nothing consumed. */
  private expectedKey(expected: { name: string; bytes: Uint8Array } | undefined): string | undefined {
    if (!expected || expected.name === '__proto__') return undefined;
    const length = expected.bytes.length;
    const bytes = this.bytes;
    const at = this.pos + 1;
    if (length > 31 || bytes[this.pos] !== 0xa0 + length || at + length > bytes.length) return undefined;
    for (let index = 0; index < length; index++) if (bytes[at + index] !== expected.bytes[index]) return undefined;
    this.pos = at + length;
    return expected.name;
  }

  private arrayLength(head: number): number {
    return this.count(head, 0x90, 0xdc);
  }

  private mapLength(head: number): number {
    return this.count(head, 0x80, 0xde);
  }

  /** The element count of an array or map: a fix form of 16 from `fix`, then the 16- and 32-bit forms from `wide`. */
  private count(head: number, fix: number, wide: number): number {
    if (head >= fix && head <= fix + 0xf) return head - fix;
    if (head === wide) return this.size(2);
    if (head === wide + 1) return this.size(4);
    throw new NotTyped();
  }

  /** A map key: a string, never `__proto__` (the generic decoder refuses it). */
  private key(): string {
    const name = this.text(this.byte());
    if (name === '__proto__') throw new NotTyped();
    return name;
  }

  /** The byte length of a string that starts with `head`, or -1 when `head` starts no string. */
  private textLength(head: number): number {
    if (head >= 0xa0 && head <= 0xbf) return head - 0xa0;
    if (head >= 0xd9 && head <= 0xdb) return this.size(head === 0xd9 ? 1 : head === 0xda ? 2 : 4);
    return -1;
  }

  private text(head: number): string {
    const length = this.textLength(head);
    if (length < 0) throw new NotTyped();
    const at = this.take(length);
    return utf8.decode(this.bytes.subarray(at, at + length));
  }

  private number(head: number): unknown {
    if (head <= 0x7f) return head;
    if (head >= 0xe0) return head - 0x100;
    switch (head) {
      case 0xcc:
        return this.size(1);
      case 0xcd:
        return this.size(2);
      case 0xce:
        return this.size(4);
      case 0xcf:
        return bigNumber(this.view.getBigUint64(this.take(8)));
      case 0xd0:
        return (this.size(1) << 24) >> 24;
      case 0xd1:
        return (this.size(2) << 16) >> 16;
      case 0xd2:
        return this.size(4) | 0;
      case 0xd3:
        return bigNumber(this.view.getBigInt64(this.take(8)));
      case 0xca:
        return this.view.getFloat32(this.take(4));
      case 0xcb:
        return this.view.getFloat64(this.take(8));
      default:
        return numberFromText(this.text(head));
    }
  }

  /** An extension: unknown, as the tree path reads it (the timestamp extension left to it). */
  private extension(head: number): unknown {
    const fixed = [1, 2, 4, 8, 16][head - 0xd4];
    const length = fixed ?? this.size(head === 0xc7 ? 1 : head === 0xc8 ? 2 : 4);
    const type = (this.size(1) << 24) >> 24;
    if (type === -1) throw new NotTyped();
    const at = this.take(length);
    return form.unknown(new ExtData(type, this.bytes.subarray(at, at + length)));
  }

  /** Reads the item that starts one byte back generically, as the tree path would. */
  private tree(ty: CtyType): unknown {
    const start = this.pos - 1;
    this.pos = start;
    this.skip();
    return fromWire(decoder.decode(this.bytes.subarray(start, this.pos)), ty, form);
  }

  /** Moves past one item of any form. */
  private skip(): void {
    const head = this.byte();
    if (head <= 0x7f || head >= 0xe0 || head === 0xc0 || head === 0xc2 || head === 0xc3) return;
    const text = this.textLength(head);
    if (text >= 0) {
      this.take(text);
      return;
    }
    if ((head >= 0x90 && head <= 0x9f) || head === 0xdc || head === 0xdd) {
      for (let left = this.arrayLength(head); left > 0; left--) this.skip();
      return;
    }
    if ((head >= 0x80 && head <= 0x8f) || head === 0xde || head === 0xdf) {
      for (let left = this.mapLength(head) * 2; left > 0; left--) this.skip();
      return;
    }
    if (head >= 0xc4 && head <= 0xc6) {
      this.take(this.size(head === 0xc4 ? 1 : head === 0xc5 ? 2 : 4));
      return;
    }
    if ((head >= 0xd4 && head <= 0xd8) || (head >= 0xc7 && head <= 0xc9)) {
      this.extension(head);
      return;
    }
    const width = { 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8, 0xca: 4, 0xcb: 8 }[head];
    if (width === undefined) throw new NotTyped();
    this.take(width);
  }
}

/** A 64-bit integer as {@link fromWire} reads a bigint: a number when exact, else lossless text. */
function bigNumber(raw: bigint): number | LosslessNumber {
  return Number.isSafeInteger(Number(raw)) ? Number(raw) : new LosslessNumber(raw.toString());
}

function leaf(value: unknown, ty: CtyType): unknown {
  if (isUnknown(value)) return new ExtData(0, Uint8Array.of(0));
  if (ty === 'dynamic') {
    const dv = value instanceof DynamicVal ? value : new DynamicVal(inferType(value), value);
    return [Buffer.from(typeJson(dv.type)), toWire(dv.value, dv.type, leaf)];
  }
  if (value instanceof LosslessNumber) return value.text;
  if (ty === 'number' && typeof value !== 'number')
    throw new TypeError(`expected a number, got ${JSON.stringify(value)}`);
  if (ty === 'string' && typeof value !== 'string')
    throw new TypeError(`expected a string, got ${JSON.stringify(value)}`);
  if (ty === 'bool' && typeof value !== 'boolean') throw new TypeError(`expected a bool, got ${JSON.stringify(value)}`);
  return value;
}

/** Encodes a value of type `ty` as DynamicValue.msgpack bytes. */
export function encodeMsgpack(value: unknown, ty: CtyType): Uint8Array {
  return encoder.encode(toWire(value, ty, leaf));
}
