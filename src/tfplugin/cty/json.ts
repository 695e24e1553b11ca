/**
 * The JSON codec of cty values (RawState.json, DynamicValue.json): a small lossless parser
 * (numbers keep their decimal text when a double cannot hold them), and an encoder.
 */
import { fromWire, inferType, toWire, type WireForm } from './convert';
import { parseType, type CtyType } from './type';
import { DynamicVal, LosslessNumber, isUnknown, numberFromText } from './value';

/** A JSON string token, and a literal (number or keyword) token, from the sticky position on. */
const STRING_TOKEN = /"(?:[^"\\]|\\.)*"/y;
const LITERAL_TOKEN = /true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRINGS = /"(?:[^"\\]|\\.)*"/g;

/**
 * True when the text's numbers (strings aside) are all integers of at most 15 digits: doubles hold
 * those exactly, so the native parser reads them as the lossless one does (most states).
 */
function plainIntegersOnly(text: string): boolean {
  return !/\d[.eE]|\d{16}/.test(text.replace(STRINGS, '""'));
}

/** Parses JSON text; numbers become JS numbers when exact, else {@link LosslessNumber}. */
export function parseLosslessJson(text: string): unknown {
  // The native parser gives the same tree when no number needs its text kept: an upgrade of
  // each resource of a state runs this (bench/provider-scale). Text it rejects goes on to the
  // parser below, which accepts and reports what it always did.
  if (plainIntegersOnly(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      /* the parser below decides */
    }
  }
  let offset = 0;
  const ws = () => {
    while (offset < text.length && ' \t\n\r'.includes(text.charAt(offset))) offset++;
  };
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at offset ${offset}`);
  };
  /** The token a sticky pattern matches at the offset, which it then moves past. */
  const token = (pattern: RegExp): string => {
    pattern.lastIndex = offset;
    const found = pattern.exec(text) ?? fail();
    offset += found[0].length;
    return found[0];
  };
  const value = (): unknown => {
    ws();
    const char = text[offset];
    if (char === '{') {
      offset++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[offset] === '}') {
        offset++;
        return obj;
      }
      for (;;) {
        ws();
        const key = value();
        if (typeof key !== 'string') fail();
        ws();
        if (text[offset++] !== ':') fail();
        obj[key as string] = value();
        ws();
        if (text[offset] === ',') {
          offset++;
          continue;
        }
        if (text[offset++] === '}') return obj;
        fail();
      }
    }
    if (char === '[') {
      offset++;
      const arr: unknown[] = [];
      ws();
      if (text[offset] === ']') {
        offset++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[offset] === ',') {
          offset++;
          continue;
        }
        if (text[offset++] === ']') return arr;
        fail();
      }
    }
    if (char === '"') return JSON.parse(token(STRING_TOKEN)) as string;
    const literal = token(LITERAL_TOKEN);
    return literal === 'true'
      ? true
      : literal === 'false'
        ? false
        : literal === 'null'
          ? null
          : numberFromText(literal);
  };
  const out = value();
  ws();
  if (offset !== text.length) fail();
  return out;
}

const form: WireForm = {
  unknown: () => undefined,
  dynamic(raw) {
    const typed = raw as { type?: unknown; value?: unknown };
    if (!typed || typeof typed !== 'object' || typed.type === undefined)
      throw new TypeError('a dynamic value must be {"type":…, "value":…}');
    return { type: parseType(JSON.stringify(typed.type)), value: typed.value };
  },
};

/** Decodes JSON text (e.g. RawState.json) as a value of type `ty`, losslessly. */
export function decodeJson(text: string, ty: CtyType): unknown {
  return fromWire(parseLosslessJson(text), ty, form);
}

/** Encodes a value of type `ty` as JSON text; big numbers are written exactly. */
export function encodeJson(value: unknown, ty: CtyType): string {
  const marks: string[] = [];
  const tree = toWire(value, ty, function leaf(leafValue, lt): unknown {
    if (isUnknown(leafValue)) throw new TypeError('unknown values have no JSON form');
    if (lt === 'dynamic') {
      const dv = leafValue instanceof DynamicVal ? leafValue : new DynamicVal(inferType(leafValue), leafValue);
      return { type: dv.type, value: toWire(dv.value, dv.type, leaf) };
    }
    if (leafValue instanceof LosslessNumber) {
      marks.push(leafValue.text);
      return `\u0000${marks.length - 1}\u0000`;
    }
    return leafValue;
  });
  return JSON.stringify(tree).replace(/"\\u0000(\d+)\\u0000"/g, (_m, n: string) => marks[Number(n)] ?? '');
}
