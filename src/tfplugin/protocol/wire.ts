/**
 * A table-driven protobuf codec: encodes and decodes plain objects (field names as in the
 * .proto) using the descriptors generated at build time. Absent fields decode as undefined;
 * enums and int64 are JS numbers; bytes are Buffers. The types of the messages are generated
 * from the same .proto files (messages.generated.ts).
 */
import type { FieldDesc, MessageDesc, MethodDesc, ValueKind } from './descriptor';
import { MESSAGES } from './descriptors.generated';
import type { MessageName, Messages, ServiceName, Services } from './messages.generated';

export type { FieldDesc, MessageDesc, MethodDesc, MessageName, Messages, ServiceName, Services };

/** A decoded (or to-be-encoded) message of the named type. */
export type Msg<N extends MessageName> = Messages[N];

/** The request message of one RPC of a service. */
export type RpcRequest<S extends ServiceName, M extends keyof Services[S]> = Messages[InputOf<Services[S][M]>];
/** The response message of one RPC of a service. */
export type RpcResponse<S extends ServiceName, M extends keyof Services[S]> = Messages[OutputOf<Services[S][M]>];
type InputOf<T> = T extends { input: infer I extends MessageName } ? I : never;
type OutputOf<T> = T extends { output: infer O extends MessageName } ? O : never;

/** An implementation of every RPC of a service, over decoded messages. */
export type ServiceHandlers<S extends ServiceName> = {
  [M in keyof Services[S]]: (req: RpcRequest<S, M>) => Promise<RpcResponse<S, M>> | RpcResponse<S, M>;
};

class Writer {
  private chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(256);
  private pos = 0;

  private ensure(size: number): void {
    if (this.pos + size <= this.buf.length) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(256, size));
    this.pos = 0;
  }
  varint(value: number): void {
    this.ensure(10);
    if (value < 0) {
      let big = BigInt.asUintN(64, BigInt(value));
      while (big > 127n) {
        this.buf[this.pos++] = Number(big & 127n) | 128;
        big >>= 7n;
      }
      this.buf[this.pos++] = Number(big);
      return;
    }
    while (value > 127) {
      this.buf[this.pos++] = (value % 128) | 128;
      value = Math.floor(value / 128);
    }
    this.buf[this.pos++] = value;
  }
  tag(no: number, wt: number): void {
    this.varint(no * 8 + wt);
  }
  bytes(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
  finish(): Buffer {
    this.chunks.push(this.buf.subarray(0, this.pos));
    return Buffer.concat(this.chunks);
  }
}

/** The message type of a message-valued field (the generator always sets it). */
function messageOf(field: FieldDesc): MessageName {
  if (!field.msg) throw new Error(`wire: ${field.name} has no message type`);
  return field.msg;
}

function encodeValue(writer: Writer, field: FieldDesc, kind: ValueKind, no: number, value: unknown): void {
  switch (kind) {
    case 'string':
      writer.tag(no, 2);
      writer.bytes(Buffer.from(String(value), 'utf8'));
      break;
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw new Error(`wire: ${field.name} must be bytes`);
      writer.tag(no, 2);
      writer.bytes(value);
      break;
    case 'bool':
      writer.tag(no, 0);
      writer.varint(value ? 1 : 0);
      break;
    case 'int64':
    case 'enum':
      writer.tag(no, 0);
      writer.varint(Number(value));
      break;
    case 'message':
      if (typeof value !== 'object' || value === null) throw new Error(`wire: ${field.name} must be a message`);
      writer.tag(no, 2);
      writer.bytes(encodeMessage(messageOf(field), value));
      break;
  }
}

/** Encodes a message whose type is known only at run time (a route's); see {@link encode}. */
export function encodeMessage(type: MessageName, message: object): Buffer {
  const writer = new Writer();
  for (const field of MESSAGES[type]) {
    const value: unknown = Reflect.get(message, field.name);
    if (value === undefined || value === null) continue;
    if (field.kind === 'map') {
      if (typeof value !== 'object') throw new Error(`wire: ${field.name} must be a map`);
      for (const [key, entryValue] of Object.entries(value)) {
        const entry = new Writer();
        entry.tag(1, 2);
        entry.bytes(Buffer.from(key, 'utf8'));
        encodeValue(entry, field, field.value ?? 'string', 2, entryValue);
        writer.tag(field.no, 2);
        writer.bytes(entry.finish());
      }
    } else if (field.repeated) {
      if (!Array.isArray(value)) throw new Error(`wire: ${field.name} must be a list`);
      for (const element of value) encodeValue(writer, field, field.kind, field.no, element);
    } else if (!(value === false || value === 0 || value === '' || (value instanceof Uint8Array && !value.length))) {
      encodeValue(writer, field, field.kind, field.no, value);
    }
  }
  return writer.finish();
}

/** Encodes a message of the named type. Default values (0, false, "", empty) are omitted. */
export function encode<N extends MessageName>(type: N, message: Msg<N>): Buffer {
  return encodeMessage(type, message);
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
      // readUInt8 throws on a truncated message instead of reading past its end.
      const byte = this.buf.readUInt8(this.pos++);
      result += (byte & 127) * mul;
      if (byte < 128) break;
      mul *= 128;
    }
    if (this.pos - start < 9) return result;
    // Long varints are negative int64 (10-byte two's complement) or huge: redo them exactly.
    let big = 0n;
    for (let i = this.pos - 1; i >= start; i--) big = (big << 7n) | BigInt(this.buf.readUInt8(i) & 127);
    return Number(BigInt.asIntN(64, big));
  }
  bytes(): Buffer {
    const length = this.varint();
    const bytes = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return bytes;
  }
  skip(wt: number): void {
    if (wt === 0) this.varint();
    else if (wt === 1) this.pos += 8;
    else if (wt === 2) this.bytes();
    else if (wt === 5) this.pos += 4;
    else throw new Error(`wire: unsupported wire type ${wt}`);
  }
}

function decodeValue(field: FieldDesc, kind: ValueKind, reader: Reader): unknown {
  switch (kind) {
    case 'string':
      return reader.bytes().toString('utf8');
    case 'bytes':
      return Buffer.from(reader.bytes());
    case 'bool':
      return reader.varint() !== 0;
    case 'int64':
    case 'enum':
      return reader.varint();
    case 'message':
      return decodeMessage(messageOf(field), reader.bytes());
  }
}

/** Reads one map entry (key 1, value 2). */
function decodeEntry(field: FieldDesc, reader: Reader): [string, unknown] {
  let key = '';
  let value: unknown;
  while (reader.pos < reader.end) {
    const tag = reader.varint();
    if (tag >> 3 === 1) key = reader.bytes().toString('utf8');
    else if (tag >> 3 === 2) value = decodeValue(field, field.value ?? 'string', reader);
    else reader.skip(tag & 7);
  }
  return [key, value];
}

/** Decodes a message whose type is known only at run time (a route's); see {@link decode}. */
export function decodeMessage(type: MessageName, buf: Buffer): Record<string, unknown> {
  const fields = MESSAGES[type];
  const out: Record<string, unknown> = {};
  const maps: Record<string, Record<string, unknown>> = {};
  const lists: Record<string, unknown[]> = {};
  const reader = new Reader(buf);
  while (reader.pos < reader.end) {
    const tag = reader.varint();
    const no = Math.floor(tag / 8);
    const field = fields.find((candidate) => candidate.no === no);
    if (!field) {
      reader.skip(tag & 7);
    } else if (field.kind === 'map') {
      const [key, value] = decodeEntry(field, new Reader(reader.bytes()));
      const map = (maps[field.name] ??= {});
      map[key] = value;
      out[field.name] = map;
    } else if (field.repeated) {
      const list = (lists[field.name] ??= []);
      list.push(decodeValue(field, field.kind, reader));
      out[field.name] = list;
    } else {
      out[field.name] = decodeValue(field, field.kind, reader);
    }
  }
  return out;
}

/** Encodes and decodes a message, as the wire would change it (defaults dropped, bytes as Buffers). */
export function roundTrip<T extends object>(type: MessageName, message: T): T {
  // The caller names the message's own type, so the decoded fields are those of T.
  return decodeMessage(type, encodeMessage(type, message)) as T;
}

/** Decodes a message of the named type. Unknown fields are skipped. */
export function decode<N extends MessageName>(type: N, buf: Buffer): Msg<N> {
  // The field tables and the message types come from the same .proto files.
  return decodeMessage(type, buf) as Msg<N>;
}
