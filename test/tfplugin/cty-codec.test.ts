import { ExtData, encode } from '@msgpack/msgpack';
import { decodeMsgpack, decodeMsgpackTree, encodeMsgpack } from '../../src/tfplugin/cty/msgpack';
import { decodeJson, encodeJson, parseLosslessJson } from '../../src/tfplugin/cty/json';
import { t, type CtyType } from '../../src/tfplugin/cty/type';
import { DynamicVal, LosslessNumber, UNKNOWN, isUnknown, Unknown } from '../../src/tfplugin/cty/value';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('cty msgpack codec', () => {
  it('reads plain unknown (fixext1 code 0) and refined unknown (ext8 code 12)', () => {
    expect(isUnknown(decodeMsgpack(hex('d4 00 00'), 'string'))).toBe(true);
    const refined = decodeMsgpack(
      Buffer.concat([hex('c7 09 0c 82 01 c2 02 a4'), Buffer.from('pre-')]),
      'string',
    ) as Unknown;
    expect(refined.refinements).toEqual({ nullable: false, stringPrefix: 'pre-' });
    const len = decodeMsgpack(hex('c7 07 0c 82 01 c2 03 92 00 c3'), 'number') as Unknown;
    expect(len.refinements?.numberLower).toEqual([0, true]);
  });

  it('writes unknown as d4 00 00 and null as c0', () => {
    expect(Buffer.from(encodeMsgpack(UNKNOWN, 'string')).toString('hex')).toBe('d40000');
    expect(Buffer.from(encodeMsgpack(null, t.list('string'))).toString('hex')).toBe('c0');
  });

  it('keeps big and decimal numbers lossless through a round trip', () => {
    const big = decodeMsgpack(encodeMsgpack(new LosslessNumber('12345678901234567890'), 'number'), 'number');
    expect(big).toBeInstanceOf(LosslessNumber);
    expect(String(big)).toBe('12345678901234567890');
    expect(decodeMsgpack(hex('cb 40 04 00 00 00 00 00 00'), 'number')).toBe(2.5);
    // int64 beyond 2^53 arrives as an integer format and must not lose digits.
    expect(String(decodeMsgpack(hex('cf 7f ff ff ff ff ff ff ff'), 'number'))).toBe('9223372036854775807');
  });

  it('writes every object attribute, null for missing ones, and reads missing as null', () => {
    const ty: CtyType = t.object({ a: 'string', b: 'number' });
    const bytes = encodeMsgpack({ a: 'x' }, ty);
    expect(decodeMsgpack(bytes, ty)).toEqual({ a: 'x', b: null });
    expect(
      decodeMsgpack(encodeMsgpack({ a: 'x', b: 1, extra: 2 }, ty), t.object({ a: 'string', b: 'number', c: 'bool' })),
    ).toEqual({ a: 'x', b: 1, c: null });
  });

  it('encodes dynamic values as [bin(type), value] and reads them back', () => {
    const bytes = encodeMsgpack(new DynamicVal(t.list('number'), [1, 2]), 'dynamic');
    expect(bytes[0]).toBe(0x92);
    const back = decodeMsgpack(bytes, 'dynamic') as DynamicVal;
    expect(back.type).toEqual(['list', 'number']);
    expect(back.value).toEqual([1, 2]);
    expect((decodeMsgpack(encodeMsgpack({ k: 'v' }, 'dynamic'), 'dynamic') as DynamicVal).type).toEqual([
      'object',
      { k: 'string' },
    ]);
  });

  it('rejects a value of the wrong type with a clear message', () => {
    expect(() => encodeMsgpack({ a: 5 }, t.object({ a: 'string' }))).toThrow(/expected a string, got 5/);
  });
});

describe('cty JSON codec', () => {
  it('parses state JSON losslessly, fills new attributes with null, reads dynamic {type,value}', () => {
    const ty: CtyType = t.object({ n: 'number', d: 'dynamic', s: t.set('string'), added: 'bool' });
    const decoded = decodeJson(
      '{"n": 12345678901234567890.5, "d": {"type": "string", "value": "x"}, "s": ["a"]}',
      ty,
    ) as Record<string, unknown>;
    expect(String(decoded.n)).toBe('12345678901234567890.5');
    expect((decoded.d as DynamicVal).value).toBe('x');
    expect(decoded.added).toBeNull();
    expect(encodeJson(decoded, ty)).toBe(
      '{"added":null,"d":{"type":"string","value":"x"},"n":12345678901234567890.5,"s":["a"]}',
    );
  });

  it('rejects malformed JSON', () => {
    expect(() => decodeJson('{"a": }', t.object({ a: 'string' }))).toThrow(/invalid JSON/);
  });

  it('parses alike whether or not a number needs its text kept', () => {
    const doc = (n: string) =>
      `{ "s": "a \\" 1e999 2.5 \\u0041", "list": [1, -0, 123456789012345, true, false, null, {"k": [ ]}], "n": ${n} }`;
    const exact = parseLosslessJson(doc('42')) as Record<string, unknown>;
    const lossy = parseLosslessJson(doc('12345678901234567890')) as Record<string, unknown>;
    expect(exact).toEqual({ ...lossy, n: 42 });
    expect(exact.s).toBe('a " 1e999 2.5 A');
    expect(lossy.n).toEqual(new LosslessNumber('12345678901234567890'));
    expect(parseLosslessJson('[0.50, 2.25e3, 1.5, 9007199254740993]')).toEqual([
      new LosslessNumber('0.50'),
      new LosslessNumber('2.25e3'),
      1.5,
      new LosslessNumber('9007199254740993'),
    ]);
    // Text the native parser rejects gets the answer it always got.
    expect(parseLosslessJson('[007]')).toEqual([7]);
    expect(() => parseLosslessJson('[1,]')).toThrow(/invalid JSON at offset 3/);
  });
});

describe('cty msgpack typed reader', () => {
  const outcome = (decode: () => unknown) => {
    try {
      const value = decode();
      return { value, order: JSON.stringify(value) };
    } catch (err) {
      return { error: String(err) };
    }
  };
  /** The typed reader and the generic tree path give the same value, key order and error. */
  const agree = (bytes: Uint8Array, ty: CtyType) => {
    const typed = outcome(() => decodeMsgpack(bytes, ty));
    expect(typed).toEqual(outcome(() => decodeMsgpackTree(bytes, ty)));
    return typed;
  };
  const refined = new ExtData(12, encode({ 1: false, 2: 'pre' }));
  const ty = t.object({
    name: 'string',
    size: 'number',
    on: 'bool',
    tags: t.list('string'),
    labels: t.map('number'),
    pair: t.tuple('string', 'number'),
    any: 'dynamic',
    nested: t.set(t.object({ z: 'string', a: 'number' })),
  });

  it('reads what the tree path reads: every form, unknowns, big numbers, dynamic values', () => {
    const full = {
      name: 'é ünïcode ✓',
      size: new LosslessNumber('123456789012345678901234567890'),
      on: true,
      tags: ['a', UNKNOWN, null],
      labels: { b: 1.5, a: -7, 10: 2 },
      pair: ['x', 2 ** 40],
      any: new DynamicVal(t.list('string'), ['d']),
      nested: [{ z: 'z', a: 1 }],
    };
    const round = agree(encodeMsgpack(full, ty), ty);
    expect(round.value).toEqual(full);
    const raw = (value: unknown) => encode(value, { extensionCodec: undefined, useBigInt64: true });
    agree(raw({ name: refined, size: 2n ** 63n - 1n, on: false, extra: { deep: [1, 'x'] }, labels: {} }), ty);
    agree(raw({ size: -(2n ** 62n), pair: ['only'], tags: new ExtData(0, Uint8Array.of(0)) }), ty);
    agree(raw({ size: 3.25, pair: ['a', 1, 'ignored', { x: 1 }], nested: [{ a: '12.50', z: null }] }), ty);
    agree(raw({ name: new Date(0), size: '1e3' }), ty);
    agree(raw(null), ty);
  });

  it('fails as the tree path fails: mismatches, bad keys, bad text, truncation, trailing bytes', () => {
    const raw = (value: unknown) => encode(value);
    expect(agree(raw({ on: 'yes' }), ty).error).toMatch(/cannot read/);
    agree(raw({ tags: { a: 1 } }), ty);
    agree(raw({ labels: ['x'] }), ty);
    agree(raw({ size: true }), ty);
    agree(raw({ pair: 'x' }), ty);
    // {"__proto__": 1} as a map value, a map with an integer key, a string with invalid UTF-8.
    agree(
      Uint8Array.of(0x81, 0xa6, 0x6c, 0x61, 0x62, 0x65, 0x6c, 0x73, 0x81, 0xa9, ...Buffer.from('__proto__'), 1),
      ty,
    );
    agree(Uint8Array.of(0x81, 0xa6, ...Buffer.from('labels'), 0x81, 0x01, 0x02), ty);
    agree(Uint8Array.of(0x81, 0xa4, ...Buffer.from('name'), 0xa2, 0xc3, 0x28), ty);
    const good = raw({ name: 'n', tags: ['a', 'b'] });
    expect(agree(good.subarray(0, good.length - 1), ty).error).toBeDefined();
    expect(agree(Uint8Array.of(...good, 0xc0), ty).error).toBeDefined();
    agree(Uint8Array.of(0xc1), ty);
  });
});
