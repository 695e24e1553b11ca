/**
 * A table-driven protobuf codec: encodes and decodes plain objects (field names as in the
 * .proto) using the descriptors generated at build time. Absent fields decode as undefined;
 * enums and int64 are JS numbers; bytes are Buffers.
 */
import type { FieldDesc } from './descriptor';
import { MESSAGES } from './descriptors.generated';

/** A decoded (or to-be-encoded) message. */
export type Msg = { [field: string]: any };

class Writer {
  private chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(256);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(256, n));
    this.pos = 0;
  }
  varint(v: number): void {
    this.ensure(10);
    if (v < 0) {
      let b = BigInt.asUintN(64, BigInt(v));
      while (b > 127n) {
        this.buf[this.pos++] = Number(b & 127n) | 128;
        b >>= 7n;
      }
      this.buf[this.pos++] = Number(b);
      return;
    }
    while (v > 127) {
      this.buf[this.pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }
  tag(no: number, wt: number): void {
    this.varint(no * 8 + wt);
  }
  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  finish(): Buffer {
    this.chunks.push(this.buf.subarray(0, this.pos));
    return Buffer.concat(this.chunks);
  }
}

function encodeValue(w: Writer, f: FieldDesc, kind: string, msg: string | undefined, no: number, v: any): void {
  switch (kind) {
    case 'string':
      w.tag(no, 2);
      w.bytes(Buffer.from(String(v), 'utf8'));
      break;
    case 'bytes':
      w.tag(no, 2);
      w.bytes(v as Uint8Array);
      break;
    case 'bool':
      w.tag(no, 0);
      w.varint(v ? 1 : 0);
      break;
    case 'int64':
    case 'enum':
      w.tag(no, 0);
      w.varint(Number(v));
      break;
    case 'message':
      w.tag(no, 2);
      w.bytes(encode(msg as string, v as Msg));
      break;
    default:
      throw new Error(`wire: cannot encode ${f.name}`);
  }
}

/** Encodes a message of the named type. Default values (0, false, "", empty) are omitted. */
export function encode(type: string, m: Msg): Buffer {
  const w = new Writer();
  for (const f of MESSAGES[type]) {
    const v = m[f.name];
    if (v === undefined || v === null) continue;
    if (f.kind === 'map') {
      for (const [k, mv] of Object.entries(v as Record<string, unknown>)) {
        const entry = new Writer();
        entry.tag(1, 2);
        entry.bytes(Buffer.from(k, 'utf8'));
        encodeValue(entry, f, f.value as string, f.msg, 2, mv);
        w.tag(f.no, 2);
        w.bytes(entry.finish());
      }
    } else if (f.repeated) {
      for (const e of v as unknown[]) encodeValue(w, f, f.kind, f.msg, f.no, e);
    } else if (!(v === false || v === 0 || v === '' || (v instanceof Uint8Array && v.length === 0))) {
      encodeValue(w, f, f.kind, f.msg, f.no, v);
    }
  }
  return w.finish();
}

class Reader {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    readonly end = buf.length,
  ) {}
  varint(): number {
    const start = this.pos;
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.buf[this.pos++];
      result += (b & 127) * mul;
      if (b < 128) break;
      mul *= 128;
    }
    if (this.pos - start < 9) return result;
    // Long varints are negative int64 (10-byte two's complement) or huge: redo them exactly.
    let big = 0n;
    for (let i = this.pos - 1; i >= start; i--) big = (big << 7n) | BigInt(this.buf[i] & 127);
    return Number(BigInt.asIntN(64, big));
  }
  bytes(): Buffer {
    const n = this.varint();
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  skip(wt: number): void {
    if (wt === 0) this.varint();
    else if (wt === 1) this.pos += 8;
    else if (wt === 2) this.bytes();
    else if (wt === 5) this.pos += 4;
    else throw new Error(`wire: unsupported wire type ${wt}`);
  }
}

function decodeValue(kind: string, msg: string | undefined, r: Reader): unknown {
  switch (kind) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return Buffer.from(r.bytes());
    case 'bool':
      return r.varint() !== 0;
    case 'int64':
    case 'enum':
      return r.varint();
    default:
      return decode(msg as string, r.bytes());
  }
}

/** Decodes a message of the named type. Unknown fields are skipped. */
export function decode(type: string, buf: Buffer): Msg {
  const fields = MESSAGES[type];
  const out: Msg = {};
  const r = new Reader(buf);
  while (r.pos < r.end) {
    const tag = r.varint();
    const no = Math.floor(tag / 8);
    const f = fields.find((x) => x.no === no);
    if (!f) {
      r.skip(tag & 7);
      continue;
    }
    if (f.kind === 'map') {
      const entry = new Reader(r.bytes());
      let key = '';
      let val: unknown;
      while (entry.pos < entry.end) {
        const t = entry.varint();
        if (t >> 3 === 1) key = entry.bytes().toString('utf8');
        else if (t >> 3 === 2) val = decodeValue(f.value as string, f.msg, entry);
        else entry.skip(t & 7);
      }
      (out[f.name] ??= {})[key] = val;
    } else if (f.repeated) {
      (out[f.name] ??= []).push(decodeValue(f.kind, f.msg, r));
    } else {
      out[f.name] = decodeValue(f.kind, f.msg, r);
    }
  }
  return out;
}
