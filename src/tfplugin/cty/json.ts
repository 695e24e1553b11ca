/**
 * The JSON codec of cty values (RawState.json, DynamicValue.json): a small lossless parser
 * (numbers keep their decimal text when a double cannot hold them), and an encoder.
 */
import { fromWire, inferType, toWire, type WireForm } from './convert';
import { parseType, type CtyType } from './type';
import { DynamicVal, LosslessNumber, isUnknown, numberFromText } from './value';

/** Parses JSON text; numbers become JS numbers when exact, else {@link LosslessNumber}. */
export function parseLosslessJson(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at offset ${i}`);
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        const k = value();
        if (typeof k !== 'string') fail();
        ws();
        if (text[i++] !== ':') fail();
        obj[k as string] = value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] === '}') return obj;
        fail();
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] === ']') return arr;
        fail();
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i)) ?? fail();
      i += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i)) ?? fail();
    i += m[0].length;
    return m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : numberFromText(m[0]);
  };
  const out = value();
  ws();
  if (i !== text.length) fail();
  return out;
}

const form: WireForm = {
  unknown: () => undefined,
  dynamic(raw) {
    const o = raw as { type?: unknown; value?: unknown };
    if (!o || typeof o !== 'object' || o.type === undefined)
      throw new TypeError('a dynamic value must be {"type":…, "value":…}');
    return { type: parseType(JSON.stringify(o.type)), value: o.value };
  },
};

/** Decodes JSON text (e.g. RawState.json) as a value of type `ty`, losslessly. */
export function decodeJson(text: string, ty: CtyType): unknown {
  return fromWire(parseLosslessJson(text), ty, form);
}

/** Encodes a value of type `ty` as JSON text; big numbers are written exactly. */
export function encodeJson(v: unknown, ty: CtyType): string {
  const marks: string[] = [];
  const tree = toWire(v, ty, function leaf(x, lt): unknown {
    if (isUnknown(x)) throw new TypeError('unknown values have no JSON form');
    if (lt === 'dynamic') {
      const dv = x instanceof DynamicVal ? x : new DynamicVal(inferType(x), x);
      return { type: dv.type, value: toWire(dv.value, dv.type, leaf) };
    }
    if (x instanceof LosslessNumber) {
      marks.push(x.text);
      return `\u0000${marks.length - 1}\u0000`;
    }
    return x;
  });
  return JSON.stringify(tree).replace(/"\\u0000(\d+)\\u0000"/g, (_m, n: string) => marks[Number(n)] ?? '');
}
