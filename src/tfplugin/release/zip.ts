/**
 * A small zip writer and reader for provider packages. The writer is deterministic (entries
 * sorted by name, one fixed timestamp, fixed attributes, deflate level 9), so the same files give
 * the same zip, and so the same `zh:` hash, on every build. The reader checks every entry's
 * sizes and CRC, so a truncated or corrupt zip is refused rather than half extracted.
 */
import * as zlib from 'node:zlib';

/** One file of a zip. */
export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Unix permission bits, e.g. 0o755 for an executable. */
  mode: number;
}

/** A zip that cannot be read: truncated, corrupt or of a kind this reader does not handle. */
export class ZipError extends Error {}

// 1980-01-01 00:00:00, the earliest DOS date: no build time leaks into the archive.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;

/** The zip holding `entries` (sorted by name; names must be unique, relative, with `/`). */
export function writeZip(entries: ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of sorted) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = zlib.deflateRawSync(e.data, { level: 9 });
    const crc = zlib.crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIG, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIG, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the mode below counts)
    local.copy(central, 6, 4, 28); // version needed .. name length, as in the local header
    central.writeUInt32LE(((0o100000 | e.mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const centralDir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIG, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDir, end]);
}

function need(ok: boolean, what: string): asserts ok {
  if (!ok) throw new ZipError(what);
}

/** The files of a zip, each checked against its recorded size and CRC. Throws {@link ZipError}. */
export function readZip(zip: Buffer): ZipEntry[] {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_SIG) {
      end = i;
      break;
    }
  }
  need(end >= 0, 'no end-of-archive record (truncated?)');
  const count = zip.readUInt16LE(end + 10);
  const cdSize = zip.readUInt32LE(end + 12);
  let offset = zip.readUInt32LE(end + 16);
  need(offset + cdSize <= end, 'the central directory lies outside the file (truncated?)');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    need(offset + 46 <= end && zip.readUInt32LE(offset) === CENTRAL_SIG, 'bad central directory entry');
    const method = zip.readUInt16LE(offset + 10);
    const crc = zip.readUInt32LE(offset + 16);
    const packedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLen = zip.readUInt16LE(offset + 28);
    const extraLen = zip.readUInt16LE(offset + 30);
    const commentLen = zip.readUInt16LE(offset + 32);
    const attrs = zip.readUInt32LE(offset + 38);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLen);
    offset += 46 + nameLen + extraLen + commentLen;
    need(local + 30 <= zip.length && zip.readUInt32LE(local) === LOCAL_SIG, `bad local header for ${name}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    need(start + packedSize <= zip.length, `${name} is cut short (truncated?)`);
    if (name.endsWith('/')) continue;
    need(method === 0 || method === 8, `${name} uses compression method ${method} (only stored and deflate are read)`);
    const packed = zip.subarray(start, start + packedSize);
    let data: Buffer;
    try {
      data = method === 8 ? zlib.inflateRawSync(packed) : Buffer.from(packed);
    } catch (e) {
      throw new ZipError(`${name} does not inflate: ${(e as Error).message}`);
    }
    need(data.length === size && zlib.crc32(data) === crc, `${name} fails its CRC check (corrupt)`);
    entries.push({ name, data, mode: (attrs >>> 16) & 0o777 });
  }
  return entries;
}
