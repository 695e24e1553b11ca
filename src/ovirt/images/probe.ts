/**
 * What an image file is, from its own header: qcow2 (virtual size from the header), or raw (ISO
 * included), and the disk size the engine needs for it. Reads a few KiB, never the whole file.
 */
import * as fs from 'node:fs/promises';
import { OvirtError } from '../errors';

/** The result of probing an image file. */
export interface ImageInfo {
  /** The engine's disk format for it: `cow` (qcow2) or `raw`. */
  format: 'cow' | 'raw';
  /** `qcow2`, `iso` or `raw`: what the header says. */
  kind: 'qcow2' | 'iso' | 'raw';
  /** Bytes in the file (what is uploaded). */
  fileSize: number;
  /** The disk's virtual size: the qcow2 header's size, or the raw size rounded as the engine needs. */
  virtualSize: number;
}

/** Smallest disk the engine handles well (go-ovirt-client's minimum too). */
export const MIN_DISK_BYTES = 1024 * 1024;
const SECTOR = 512;
const QCOW2_MAGIC = 0x514649fb;
/** Headers of formats the engine cannot take as an image upload. */
const FOREIGN: [number, string, string][] = [
  [0, 'KDMV', 'vmdk'],
  [0, 'vhdxfile', 'vhdx'],
  [0, 'conectix', 'vhd'],
  [64, '\x7f\x10\xda\xbe', 'vdi'],
];

function bad(message: string): OvirtError {
  return new OvirtError({ code: 'invalid_argument', message });
}

/** A raw image's disk size: whole 512-byte sectors, at least 1 MiB. */
export function rawDiskSize(bytes: number): number {
  return Math.max(MIN_DISK_BYTES, Math.ceil(bytes / SECTOR) * SECTOR);
}

/** Checks the image against what the caller asked for; returns the disk size to create. */
export function checkImage(info: ImageInfo, spec: { file: string; format?: 'cow' | 'raw'; size?: number }): number {
  if (spec.format && spec.format !== info.format) {
    throw bad(`${spec.file} is a ${info.kind} image (disk format ${info.format}), not ${spec.format}`);
  }
  const need = info.format === 'cow' ? info.virtualSize : info.fileSize;
  if (spec.size !== undefined && spec.size < need) {
    throw bad(
      `${spec.file} needs a disk of at least ${need} bytes (${info.kind} ${info.format === 'cow' ? 'virtual size' : 'file size'}), larger than the size ${spec.size}`,
    );
  }
  return spec.size ?? info.virtualSize;
}

/** Classifies the first bytes of an image of `fileSize` bytes. Throws `invalid_argument` for what cannot be uploaded. */
export function classify(head: Buffer, fileSize: number, name: string): ImageInfo {
  if (fileSize === 0) throw bad(`${name} is empty`);
  if (head.length >= 32 && head.readUInt32BE(0) === QCOW2_MAGIC) {
    const version = head.readUInt32BE(4);
    if (version !== 2 && version !== 3)
      throw bad(`${name} is a qcow2 image of unsupported version ${version} (2 or 3 expected)`);
    if (head.readBigUInt64BE(8) !== 0n)
      throw bad(`${name} is a qcow2 image with a backing file; upload a standalone image (qemu-img convert -O qcow2)`);
    return { format: 'cow', kind: 'qcow2', fileSize, virtualSize: Number(head.readBigUInt64BE(24)) };
  }
  for (const [at, magic, what] of FOREIGN) {
    if (head.subarray(at, at + magic.length).toString('latin1') === magic) {
      throw bad(
        `${name} is a ${what} image; the engine takes qcow2 or raw (convert it with qemu-img convert -O qcow2)`,
      );
    }
  }
  const iso = head.length >= 0x8006 && head.subarray(0x8001, 0x8006).toString('latin1') === 'CD001';
  return { format: 'raw', kind: iso ? 'iso' : 'raw', fileSize, virtualSize: rawDiskSize(fileSize) };
}

/** Probes a local image file. A missing or unreadable file is an `invalid_argument` error saying so. */
export async function probeImage(file: string): Promise<ImageInfo> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw bad(
      code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${code ?? (err as Error).message})`,
    );
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw bad(`${file} is not a regular file`);
    const head = Buffer.alloc(Math.min(st.size, 0x8010));
    await fh.read(head, 0, head.length, 0);
    return classify(head, st.size, file);
  } finally {
    await fh.close();
  }
}
