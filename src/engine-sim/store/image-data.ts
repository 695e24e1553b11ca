/**
 * The bytes of uploaded disk images. Each disk's image is a file in a private temp folder written
 * at the offsets the client sends, so unwritten ranges stay holes (sparse) and memory stays flat
 * whatever the image size.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What the qcow2 header says, when the bytes start with one. */
export interface Qcow2Header {
  version: number;
  virtualSize: number;
}

const QCOW2_MAGIC = 0x514649fb;

/** Reads a qcow2 header (magic "QFI\xfb", version, virtual size at byte 24); undefined when absent. */
export function qcow2Header(head: Buffer): Qcow2Header | undefined {
  if (head.length < 32 || head.readUInt32BE(0) !== QCOW2_MAGIC) return undefined;
  return { version: head.readUInt32BE(4), virtualSize: Number(head.readBigUInt64BE(24)) };
}

/** One disk's image file. */
export class ImageFile {
  /** Highest byte offset written + 1. */
  end = 0;
  /** Bytes received so far (what the engine shows as `transferred`). */
  transferred = 0;
  private fd: number;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w+');
  }

  /** Writes `buf` at `offset`. */
  write(buf: Buffer, offset: number): Promise<void> {
    return new Promise((resolve, reject) => {
      fs.write(this.fd, buf, 0, buf.length, offset, (err) => {
        if (err) return reject(err);
        this.end = Math.max(this.end, offset + buf.length);
        this.transferred += buf.length;
        resolve();
      });
    });
  }

  /** Zeroes `size` bytes at `offset` (beyond the written end nothing needs doing: holes read as zero). */
  async zero(offset: number, size: number): Promise<void> {
    const stop = Math.min(offset + size, this.end);
    const zeros = Buffer.alloc(Math.min(1 << 20, Math.max(0, stop - offset)));
    for (let at = offset; at < stop; at += zeros.length) {
      await new Promise<void>((resolve, reject) =>
        fs.write(this.fd, zeros, 0, Math.min(zeros.length, stop - at), at, (err) => (err ? reject(err) : resolve())),
      );
    }
  }

  /** Reads up to `length` bytes at `offset`. */
  read(offset: number, length: number): Buffer {
    const buf = Buffer.alloc(Math.max(0, Math.min(length, this.end - offset)));
    if (buf.length) fs.readSync(this.fd, buf, 0, buf.length, offset);
    return buf;
  }

  /** Blocks the file actually takes on disk, in bytes (less than `end` when sparse). */
  allocated(): number {
    return fs.fstatSync(this.fd).blocks * 512;
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** The image files of one simulator, by disk id. */
export class ImageData {
  private dir: string | undefined;
  private readonly files = new Map<string, ImageFile>();

  /** The disk's image file, created empty on first use. */
  open(diskId: string): ImageFile {
    let image = this.files.get(diskId);
    if (!image) {
      if (!this.dir) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-sim-images-'));
        process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
        this.dir = dir;
      }
      image = new ImageFile(path.join(this.dir, diskId));
      this.files.set(diskId, image);
    }
    return image;
  }

  /** The disk's image file, if anything was uploaded to it. */
  get(diskId: string): ImageFile | undefined {
    return this.files.get(diskId);
  }

  /** Drops a disk's bytes (the disk was removed). */
  drop(diskId: string): void {
    const image = this.files.get(diskId);
    if (!image) return;
    image.close();
    fs.rmSync(image.file, { force: true });
    this.files.delete(diskId);
  }

  /** Removes every file (simulator stopped). */
  clear(): void {
    for (const id of [...this.files.keys()]) this.drop(id);
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
