/**
 * The msgpack codec of cty values (DynamicValue.msgpack): any extension is unknown (code 12
 * carries refinements), numbers stay lossless, dynamic values are [bin(type JSON), value].
 */
import { Decoder, Encoder, ExtData, ExtensionCodec } from '@msgpack/msgpack';
import { fromWire, inferType, parseType, readRefinements, toWire, type WireForm } from './convert';
import { typeJson, type CtyType } from './type';
import { DynamicVal, LosslessNumber, UNKNOWN, Unknown, isUnknown } from './value';

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

/** Decodes DynamicValue.msgpack bytes as a value of type `ty`. Empty bytes mean null. */
export function decodeMsgpack(bytes: Uint8Array | undefined, ty: CtyType): unknown {
  if (!bytes || bytes.length === 0) return null;
  return fromWire(decoder.decode(bytes), ty, form);
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
