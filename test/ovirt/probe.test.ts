/**
 * What an image is, from its header (images made by qemu-img): qcow2 (v2 and v3) with its virtual
 * size, raw rounded up to sectors, ISO (a volume descriptor at 32 KiB) as raw; other formats and
 * qcow2 images with a backing file are refused with what to do.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OvirtError, probeImage } from '../../src/ovirt';

const MiB = 1024 * 1024;
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function qemuImg(name: string, format: string, size: string, ...options: string[]): string {
  const file = path.join(dir, name);
  execFileSync('qemu-img', ['create', '-q', '-f', format, ...options, file, size]);
  return file;
}

const refusal = async (file: string) => {
  const err = await probeImage(file).catch((e: unknown) => e);
  expect(OvirtError.is(err, 'invalid_argument')).toBe(true);
  return (err as Error).message;
};

it('reads the virtual size of qcow2 v3 and v2 images', async () => {
  const v3 = qemuImg('v3.qcow2', 'qcow2', '40M');
  const v2 = qemuImg('v2.qcow2', 'qcow2', '24M', '-o', 'compat=0.10');
  expect(await probeImage(v3)).toEqual({
    format: 'cow',
    kind: 'qcow2',
    fileSize: fs.statSync(v3).size,
    virtualSize: 40 * MiB,
  });
  expect(await probeImage(v2)).toMatchObject({ format: 'cow', kind: 'qcow2', virtualSize: 24 * MiB });
});

it('takes an ISO 9660 image and a raw image as raw disks, sized to whole sectors and at least 1 MiB', async () => {
  const iso = path.join(dir, 'boot.iso');
  const bytes = Buffer.alloc(2 * MiB + 100);
  bytes.write('\x01CD001\x01', 0x8000, 'latin1'); // the primary volume descriptor at sector 16
  fs.writeFileSync(iso, bytes);
  const small = path.join(dir, 'small.img');
  fs.writeFileSync(small, Buffer.alloc(1000, 1));
  expect(await probeImage(iso)).toEqual({
    format: 'raw',
    kind: 'iso',
    fileSize: 2 * MiB + 100,
    virtualSize: 2 * MiB + 512,
  });
  expect(await probeImage(small)).toEqual({ format: 'raw', kind: 'raw', fileSize: 1000, virtualSize: MiB });
});

it('refuses images the engine does not take, saying how to convert them', async () => {
  for (const [format, kind] of [
    ['vmdk', 'vmdk'],
    ['vhdx', 'vhdx'],
    ['vpc', 'vhd'],
    ['vdi', 'vdi'],
  ] as const) {
    const file = qemuImg(`disk.${format}`, format, '8M');
    expect(await refusal(file)).toBe(
      `${file} is a ${kind} image; the engine takes qcow2 or raw (convert it with qemu-img convert -O qcow2)`,
    );
  }
});

it('refuses a qcow2 image with a backing file, a directory and a missing file', async () => {
  const base = qemuImg('base.qcow2', 'qcow2', '8M');
  const overlay = qemuImg('overlay.qcow2', 'qcow2', '8M', '-b', base, '-F', 'qcow2');
  expect(await refusal(overlay)).toBe(
    `${overlay} is a qcow2 image with a backing file; upload a standalone image (qemu-img convert -O qcow2)`,
  );
  expect(await refusal(dir)).toBe(`${dir} is not a regular file`);
  expect(await refusal(path.join(dir, 'absent.qcow2'))).toBe(`${path.join(dir, 'absent.qcow2')} does not exist`);
});
